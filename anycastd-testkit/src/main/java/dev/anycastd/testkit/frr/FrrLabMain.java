package dev.anycastd.testkit.frr;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one {@link FrrLab} from the command line, for demos and scripts such as
 * {@code examples/quickstart.sh}: {@code java -cp TESTKIT_CLASS_PATH dev.anycastd.testkit.frr.FrrLabMain}.
 *
 * <p>What it promises: once both routers exchange BGP it prints {@code KEY=VALUE} lines on
 * standard output, in this order, and nothing else there:
 * <pre>
 * LAB_ID=3f9a1c             the random part of the lab's names
 * HOST_NAMESPACE=...        network namespace of the host router (where anycastd's prefixes go)
 * HOST_VTYSH=/tmp/.../vtysh the host router's vtysh, for anycastd's {@code vtysh} option
 * HOST_ASN=65001
 * UPSTREAM_NAMESPACE=...    network namespace of the upstream router, its eBGP peer
 * UPSTREAM_VTYSH=...        the upstream router's vtysh, to look at what it learned
 * UPSTREAM_ASN=65002
 * READY=yes                 the last line
 * </pre>
 * Then it keeps the lab up until its standard input reaches end of file (the caller closed it or
 * exited) or it gets SIGTERM or SIGINT, and closes the lab: daemons stopped, namespaces and
 * files deleted. It exits 1 with a message on standard error when the lab cannot start; its
 * own logs go to SLF4J. Values hold no spaces or quotes, so a shell may {@code eval} the lines.
 *
 * <p>Like every lab, it needs Linux, root, iproute2 and Debian's {@code frr} package.
 */
public final class FrrLabMain {

    private FrrLabMain() {
    }

    /**
     * Starts the lab, prints its facts, and closes it when standard input ends.
     *
     * @param args none are accepted
     */
    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: FrrLabMain (no arguments; the lab runs until standard input closes or a signal)");
            System.exit(64);
        }
        FrrLab lab;
        try {
            lab = FrrLab.start();
        } catch (IOException | RuntimeException e) {
            System.err.println("The FRR lab did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        PrintStream out = System.out;
        facts(lab).forEach((key, value) -> out.println(key + "=" + value));
        out.flush();
        int status = 0;
        try {
            awaitEndOfFile(System.in);
        } catch (IOException e) {
            System.err.println("Reading standard input failed, closing the lab: " + e.getMessage());
            status = 1;
        }
        // The lab is closed by the shutdown hook FrrLab.start registered, on every path: end of
        // input (this exit), SIGTERM or SIGINT. Closing it here as well would race with that hook,
        // which returns at once when a close is under way and so lets the JVM halt mid-cleanup
        // (a signal often comes with the end of input, e.g. Process.destroy closes both).
        System.exit(status);
    }

    /** What {@link #main} prints, in order. */
    static Map<String, String> facts(FrrLab lab) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("LAB_ID", lab.id());
        facts.put("HOST_NAMESPACE", lab.host().namespace());
        facts.put("HOST_VTYSH", lab.host().vtysh().toString());
        facts.put("HOST_ASN", Long.toString(lab.host().asn()));
        facts.put("UPSTREAM_NAMESPACE", lab.upstream().namespace());
        facts.put("UPSTREAM_VTYSH", lab.upstream().vtysh().toString());
        facts.put("UPSTREAM_ASN", Long.toString(lab.upstream().asn()));
        facts.put("READY", "yes");
        return facts;
    }

    private static void awaitEndOfFile(InputStream in) throws IOException {
        byte[] ignored = new byte[256];
        while (in.read(ignored) >= 0) {
            // Whatever the caller writes is ignored: only the end of the stream matters.
        }
    }
}
