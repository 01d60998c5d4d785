package dev.anycastd.testkit.frr;

import dev.anycastd.core.prefix.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two real FRRouting routers exchanging BGP, for tests and benchmarks: {@link #host()}, the
 * anycast server where anycastd configures its {@code network}s, and {@link #upstream()}, its
 * eBGP peer, which shows whether a route was learned or lost.
 *
 * <p>What it promises:
 * <ul>
 *   <li>Each router is Debian's {@code zebra} and {@code bgpd} (from {@code /usr/lib/frr}) running
 *       in a network namespace of its own; the two namespaces are joined by a veth pair and the
 *       routers peer over it with BGP unnumbered (IPv4 and IPv6 unicast), host AS
 *       {@value #HOST_ASN}, upstream AS {@value #UPSTREAM_ASN}. {@link #start()} returns once the
 *       session is Established.</li>
 *   <li>Nothing is shared with the machine's own FRR or with another lab: configuration, pid files,
 *       vty sockets and logs live in a temporary directory, and the namespaces carry a random
 *       name, so labs may run concurrently. No address outside the lab's namespaces is used.</li>
 *   <li>{@link #close()} stops the daemons by their process ids, deletes the namespaces (and with
 *       them the veth pair) and the directory. A shutdown hook does the same if the JVM exits
 *       first.</li>
 * </ul>
 *
 * <p>It needs Linux, root, {@code iproute2} and Debian's {@code frr} package;
 * {@link #unavailableReason()} says what is missing. JUnit tests use {@link FrrLabExtension},
 * which skips where the lab cannot run, except on CI ({@code CI=true}) where that is a failure.
 *
 * <pre>{@code
 * try (FrrLab lab = FrrLab.start()) {
 *     lab.host().addLoopbackAddresses(List.of(IpPrefix.parse("203.0.113.53")));
 *     // configure `network 203.0.113.53/32` through lab.host().vtysh() ...
 *     lab.upstream().awaitRoute(IpPrefix.parse("203.0.113.53"));
 * }
 * }</pre>
 */
public final class FrrLab implements AutoCloseable {

    /** The host router's AS number. */
    public static final long HOST_ASN = 65001;

    /** The upstream router's AS number. */
    public static final long UPSTREAM_ASN = 65002;

    private static final Logger log = LoggerFactory.getLogger(FrrLab.class);
    private static final Path FRR = Path.of("/usr/lib/frr");
    private static final Path VTYSH = Path.of("/usr/bin/vtysh");
    private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip"));
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final Pattern TABLE_KEY = Pattern.compile("\"([0-9A-Fa-f:.]+/[0-9]{1,3})\":\\s*\\[");

    private final String id;
    private final Path directory;
    private final Path ip;
    private final Router host;
    private final Router upstream;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The one speaker peering, once {@link #addSpeaker} made it; guarded by {@code this}. */
    private SpeakerPeering speaker;
    /** Opened when the first {@link #close()} has finished. */
    private final java.util.concurrent.CountDownLatch cleanedUp = new java.util.concurrent.CountDownLatch(1);
    private final Thread shutdownHook = new Thread(this::close, "frr-lab-cleanup");

    private FrrLab(String id, Path directory, Path ip) {
        this.id = id;
        this.directory = directory;
        this.ip = ip;
        this.host = new Router("host", "anycastd-" + id + "-host", "uplink", HOST_ASN, "10.255.0.1", "fe80::1");
        this.upstream = new Router("upstream", "anycastd-" + id + "-upstream", "downlink", UPSTREAM_ASN, "10.255.0.2", "fe80::2");
    }

    /**
     * Why a lab cannot run on this machine (not Linux, not root, {@code ip} or FRR missing), or
     * empty when it can.
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.of("the FRR lab needs Linux network namespaces; this is " + System.getProperty("os.name"));
        }
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return Optional.of("the FRR lab needs root to create network namespaces; running as uid " + uid);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot tell whether this process is root: " + e);
        }
        if (findIp().isEmpty()) {
            return Optional.of("iproute2's ip is not installed (looked in " + IP_CANDIDATES + "); install iproute2");
        }
        for (Path program : List.of(FRR.resolve("zebra"), FRR.resolve("bgpd"), VTYSH)) {
            if (!Files.isExecutable(program)) {
                return Optional.of(program + " is missing; install Debian's frr package");
            }
        }
        try {
            frrUser();
        } catch (IOException e) {
            return Optional.of("the user \"frr\" does not exist (Debian's frr package creates it): " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Starts both routers and waits until their BGP session is Established (about two seconds).
     *
     * @throws IllegalStateException if the lab cannot run here ({@link #unavailableReason()}) or
     *     a daemon fails; whatever was started is cleaned up first
     * @throws IOException if a command or file operation fails
     */
    public static FrrLab start() throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException("The FRR lab cannot run here: " + reason.get());
        }
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        Path directory = Files.createTempDirectory("anycastd-frr-lab-" + id + "-");
        // bgpd and zebra run as "frr": it must reach its own directory.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        FrrLab lab = new FrrLab(id, directory, findIp().orElseThrow());
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.boot();
        } catch (IOException | RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return lab;
    }

    /** The router anycastd drives: announce prefixes through its {@link Router#vtysh()}. */
    public Router host() {
        return host;
    }

    /** The host's eBGP peer: read what it learned with {@link Router#routes()} and the await methods. */
    public Router upstream() {
        return upstream;
    }

    /** The random part of this lab's names (namespaces, directory), for logs. */
    public String id() {
        return id;
    }

    /**
     * Makes room for a second BGP speaker on the host side, such as ExaBGP, beside the host's
     * bgpd: the veth pair gets the IPv4 addresses {@code 10.255.1.1/30} (host end) and
     * {@code 10.255.1.2/30} (upstream end), and the upstream router a passive eBGP neighbor
     * {@code 10.255.1.1} of AS {@code asn} (IPv4 unicast). Run the speaker in
     * {@link SpeakerPeering#namespace()} and let it connect from
     * {@link SpeakerPeering#localAddress()} to {@link SpeakerPeering#peerAddress()}. The host's
     * own session and routes are untouched. One speaker per lab.
     *
     * @throws IllegalStateException if this lab has a speaker peering already, or a command fails
     * @throws IOException if a command cannot run
     */
    public synchronized SpeakerPeering addSpeaker(long asn) throws IOException {
        if (speaker != null) {
            throw new IllegalStateException("FRR lab " + id + " has a speaker peering already: " + speaker);
        }
        SpeakerPeering peering = new SpeakerPeering(host.namespace, "10.255.1.1", "10.255.1.2", asn, UPSTREAM_ASN);
        host.ip("address", "add", peering.localAddress() + "/30", "dev", host.interfaceName);
        upstream.ip("address", "add", peering.peerAddress() + "/30", "dev", upstream.interfaceName);
        String neighbor = " neighbor " + peering.localAddress();
        // Passive: the upstream router would otherwise also connect to 10.255.1.1:179, the host's bgpd, which refuses it.
        upstream.vtysh(String.join("\n", "configure terminal", "router bgp " + UPSTREAM_ASN,
                neighbor + " remote-as " + asn, neighbor + " passive")).requireSuccess();
        speaker = peering;
        return peering;
    }

    /**
     * Where a second BGP speaker on the host side peers with the upstream router ({@link #addSpeaker}).
     *
     * @param namespace the network namespace to run the speaker in (the host router's)
     * @param localAddress the speaker's address and router id
     * @param peerAddress the upstream router's address on that link
     * @param localAsn the speaker's AS number
     * @param peerAsn the upstream router's AS number
     */
    public record SpeakerPeering(String namespace, String localAddress, String peerAddress, long localAsn, long peerAsn) {
    }

    /**
     * Stops every daemon, deletes the namespaces and the lab's directory. Idempotent.
     *
     * @throws UncheckedIOException if some part could not be cleaned up (every part is attempted)
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            // A close already under way (the shutdown hook, say) must finish before the caller
            // goes on, or the JVM could halt with daemons and namespaces left behind.
            try {
                cleanedUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            cleanUp();
        } finally {
            cleanedUp.countDown();
        }
    }

    private void cleanUp() {
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and the hook may be running concurrently: cleaning up twice is harmless.
            }
        }
        List<Exception> failures = new ArrayList<>();
        for (Router router : List.of(host, upstream)) {
            router.stopDaemons();
            try {
                if (router.namespaceExists()) {
                    command(List.of(ip.toString(), "netns", "delete", router.namespace), null).requireSuccess();
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            UncheckedIOException failure = new UncheckedIOException(new IOException("The FRR lab " + id + " was not fully cleaned up"));
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private void boot() throws IOException {
        for (Router router : List.of(host, upstream)) {
            command(List.of(ip.toString(), "netns", "add", router.namespace), null).requireSuccess();
            router.namespaceCreated = true;
            router.ip("link", "set", "lo", "up");
        }
        // Created inside the host namespace, so the interface names never clash with other labs.
        host.ip("link", "add", host.interfaceName, "type", "veth", "peer", "name", upstream.interfaceName, "netns", upstream.namespace);
        for (Router router : List.of(host, upstream)) {
            // Fixed link-local addresses without duplicate address detection: BGP unnumbered can start at once.
            router.ip("link", "set", router.interfaceName, "addrgenmode", "none");
            router.ip("address", "add", router.linkLocal + "/64", "dev", router.interfaceName, "nodad");
            router.ip("link", "set", router.interfaceName, "up");
        }
        UserPrincipal frr = frrUser();
        for (Router router : List.of(host, upstream)) {
            router.prepare(frr);
            router.startDaemon("zebra");
        }
        for (Router router : List.of(host, upstream)) {
            router.awaitZebra();
            router.startDaemon("bgpd");
        }
        awaitEstablished();
        log.atInfo().addKeyValue("lab", id).addKeyValue("directory", directory)
                .log("FRR lab {} is up: host and upstream routers are exchanging BGP.", id);
    }

    private void awaitEstablished() {
        Awaitility.await("BGP session between the lab's host and upstream routers")
                .atMost(CONVERGENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> host.established() && upstream.established());
    }

    private static Optional<Path> findIp() {
        return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    private static UserPrincipal frrUser() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("frr");
    }

    /**
     * What one command printed and how it exited.
     *
     * @param command the argument vector that was run
     * @param exitCode its exit status
     * @param stdout its standard output
     * @param stderr its standard error
     */
    public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

        /** Copies the command. */
        public CommandResult {
            command = List.copyOf(command);
        }

        /**
         * This result, if the command exited 0.
         *
         * @throws IllegalStateException naming the command, exit code and output otherwise
         */
        public CommandResult requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException(command + " exited with " + exitCode + "; stdout: " + stdout.strip()
                        + "; stderr: " + stderr.strip());
            }
            return this;
        }
    }

    private static CommandResult command(List<String> command, String input) throws IOException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within " + COMMAND_TIMEOUT + " and was killed");
            }
            return new CommandResult(command, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "frr-lab-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /**
     * One router of the lab: a {@code zebra} and a {@code bgpd} in their own network namespace.
     * Safe to use from several threads; {@link #restartBgpd()} should not race with itself.
     */
    public final class Router {

        private final String name;
        private final String namespace;
        private final String interfaceName;
        private final long asn;
        private final String routerId;
        private final String linkLocal;
        private final Path directory;
        private final Path vtysh;
        /** Daemon name to its process; guarded by itself. */
        private final Map<String, Process> daemons = new LinkedHashMap<>();
        private volatile boolean namespaceCreated;

        private Router(String name, String namespace, String interfaceName, long asn, String routerId, String linkLocal) {
            this.name = name;
            this.namespace = namespace;
            this.interfaceName = interfaceName;
            this.asn = asn;
            this.routerId = routerId;
            this.linkLocal = linkLocal;
            this.directory = FrrLab.this.directory.resolve(name);
            this.vtysh = directory.resolve("vtysh");
        }

        /** {@code host} or {@code upstream}. */
        public String name() {
            return name;
        }

        /** The network namespace the router runs in. */
        public String namespace() {
            return namespace;
        }

        /** Its AS number. */
        public long asn() {
            return asn;
        }

        /** The name of its end of the veth pair, which is also its BGP neighbor's name in its configuration. */
        public String interfaceName() {
            return interfaceName;
        }

        /**
         * An executable that behaves like {@code /usr/bin/vtysh} for this router only (it passes its
         * arguments unchanged to the real vtysh, pointed at this router's vty sockets). Give it to
         * anycastd as its {@code vtysh} option.
         */
        public Path vtysh() {
            return vtysh;
        }

        /**
         * This router's bgpd vty socket ({@code bgpd.vty} in its own run directory, where the
         * machine's FRR has {@code /var/run/frr/bgpd.vty}). Give it to anycastd as its
         * {@code vty-socket} option.
         */
        public Path bgpdVtySocket() {
            return directory.resolve("bgpd.vty");
        }

        /** Runs vtysh on this router with one {@code -c} per command, whatever its exit status. */
        public CommandResult vtysh(String... commands) {
            List<String> argv = new ArrayList<>(List.of(vtysh.toString()));
            for (String command : commands) {
                argv.add("-c");
                argv.add(command);
            }
            try {
                return command(argv, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The output of one vtysh command.
         *
         * @throws IllegalStateException if vtysh exits with an error
         */
        public String show(String command) {
            return vtysh(command).requireSuccess().stdout();
        }

        /** The running configuration of its bgpd ({@code show running-config bgpd}). */
        public String runningConfig() {
            return show("show running-config bgpd");
        }

        /** Every prefix in its BGP table, IPv4 and IPv6, whether learned or originated. */
        public Set<IpPrefix> routes() {
            CommandResult tables = vtysh("show bgp ipv4 unicast json", "show bgp ipv6 unicast json").requireSuccess();
            Set<IpPrefix> prefixes = new LinkedHashSet<>();
            // The table's keys are the prefixes ("203.0.113.53/32": [paths]); the paths hold no such key.
            Matcher matcher = TABLE_KEY.matcher(tables.stdout());
            while (matcher.find()) {
                prefixes.add(IpPrefix.parse(matcher.group(1)));
            }
            return prefixes;
        }

        /**
         * FRR's JSON for one prefix ({@code show bgp ipv4|ipv6 unicast P json}): its paths with
         * their attributes (communities, MED, AS path), or {@code {}} when it has none.
         */
        public String route(IpPrefix prefix) {
            String family = prefix.family() == IpPrefix.Family.IPV4 ? "ipv4" : "ipv6";
            return show("show bgp " + family + " unicast " + prefix + " json");
        }

        /** Waits (at most 10 s) until every given prefix is in its BGP table. */
        public void awaitRoute(IpPrefix... prefixes) {
            awaitRoutes(Arrays.asList(prefixes));
        }

        /** Waits (at most 30 s) until every given prefix is in its BGP table. */
        public void awaitRoutes(Collection<IpPrefix> prefixes) {
            Awaitility.await(name + " router learns " + summary(prefixes))
                    .atMost(prefixes.size() > 1 ? CONVERGENCE : Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> routes().containsAll(prefixes));
        }

        /** Waits (at most 10 s) until none of the given prefixes is in its BGP table. */
        public void awaitNoRoute(IpPrefix... prefixes) {
            awaitNoRoutes(Arrays.asList(prefixes));
        }

        /** Waits (at most 30 s) until none of the given prefixes is in its BGP table. */
        public void awaitNoRoutes(Collection<IpPrefix> prefixes) {
            Awaitility.await(name + " router loses " + summary(prefixes))
                    .atMost(prefixes.size() > 1 ? CONVERGENCE : Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Set<IpPrefix> routes = routes();
                        return prefixes.stream().noneMatch(routes::contains);
                    });
        }

        /**
         * Puts the given addresses (or networks) on the router's {@code lo}, so that FRR's
         * import check finds them in the RIB and advertises {@code network}s for them.
         */
        public void addLoopbackAddresses(Collection<IpPrefix> prefixes) {
            StringBuilder batch = new StringBuilder();
            for (IpPrefix prefix : prefixes) {
                batch.append("address replace ").append(prefix).append(" dev lo\n");
            }
            try {
                command(List.of(ip.toString(), "-n", namespace, "-batch", "-"), batch.toString()).requireSuccess();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Kills bgpd (by its process id) and starts it again from its start-up configuration, so
         * everything configured since is gone, as after a crash; returns once the BGP session is
         * Established again.
         */
        public void restartBgpd() {
            synchronized (daemons) {
                stop(daemons.remove("bgpd"));
                try {
                    startDaemon("bgpd");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            awaitEstablished();
        }

        private void prepare(UserPrincipal frr) throws IOException {
            Files.createDirectory(directory);
            Files.setOwner(directory, frr);
            String peer = this == host ? "host" : "upstream";
            // BGP unnumbered finds its peer through router advertisements: send them every second, not every ten.
            Files.writeString(directory.resolve("zebra.conf"), String.join("\n",
                    "hostname " + peer,
                    "interface " + interfaceName,
                    " ipv6 nd ra-interval 1",
                    " no ipv6 nd suppress-ra",
                    "exit",
                    ""));
            Files.writeString(directory.resolve("bgpd.conf"), String.join("\n",
                    "frr defaults traditional",
                    "hostname " + peer,
                    "router bgp " + asn,
                    " bgp router-id " + routerId,
                    // The lab exchanges everything: policy is what the tests put in route-maps.
                    " no bgp ebgp-requires-policy",
                    " neighbor " + interfaceName + " interface remote-as external",
                    " neighbor " + interfaceName + " timers connect 1",
                    " address-family ipv6 unicast",
                    "  neighbor " + interfaceName + " activate",
                    " exit-address-family",
                    "exit",
                    ""));
            Files.writeString(vtysh, String.join("\n",
                    "#!/bin/sh",
                    "# vtysh for the " + name + " router of FRR lab " + id + ": the real vtysh, pointed at this router's sockets.",
                    "exec " + VTYSH + " --vty_socket '" + directory + "' \"$@\"",
                    ""));
            Files.setPosixFilePermissions(vtysh, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        private void startDaemon(String daemon) throws IOException {
            List<String> command = List.of(ip.toString(), "netns", "exec", namespace, FRR.resolve(daemon).toString(),
                    "-u", "frr", "-g", "frr",
                    "-f", directory.resolve(daemon + ".conf").toString(),
                    "-i", directory.resolve(daemon + ".pid").toString(),
                    "-z", directory.resolve("zserv.api").toString(),
                    "--vty_socket", directory.toString(),
                    "--log", "file:" + directory.resolve(daemon + ".log"));
            // `ip netns exec` execs the daemon, so this process is the daemon itself: its pid is the one to kill.
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve(daemon + ".out").toFile())
                    .start();
            synchronized (daemons) {
                daemons.put(daemon, process);
            }
        }

        /** bgpd retries a missing zebra only every ten seconds: start it once zebra listens. */
        private void awaitZebra() {
            Path zserv = directory.resolve("zserv.api");
            Awaitility.await("zebra of the lab's " + name + " router")
                    .atMost(CONVERGENCE)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        requireDaemonsAlive();
                        return Files.exists(zserv) && Files.exists(directory.resolve("zebra.vty"));
                    });
        }

        private void requireDaemonsAlive() throws IOException {
            synchronized (daemons) {
                for (Map.Entry<String, Process> daemon : daemons.entrySet()) {
                    if (!daemon.getValue().isAlive()) {
                        throw new IllegalStateException(daemon.getKey() + " of the lab's " + name + " router exited with "
                                + daemon.getValue().exitValue() + ": " + Files.readString(directory.resolve(daemon.getKey() + ".out")));
                    }
                }
            }
        }

        private boolean established() throws IOException {
            requireDaemonsAlive();
            CommandResult neighbors = vtysh("show bgp neighbors " + interfaceName + " json");
            return neighbors.exitCode() == 0 && neighbors.stdout().contains("\"bgpState\":\"Established\"");
        }

        private void stopDaemons() {
            synchronized (daemons) {
                // bgpd first, so it withdraws its routes while zebra still runs.
                for (String daemon : List.of("bgpd", "zebra")) {
                    Process process = daemons.remove(daemon);
                    if (process != null) {
                        stop(process);
                    }
                }
            }
        }

        private void stop(Process daemon) {
            daemon.destroy();
            try {
                if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                daemon.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private boolean namespaceExists() {
            return namespaceCreated;
        }

        private void ip(String... arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of(ip.toString(), "-n", namespace));
            command.addAll(Arrays.asList(arguments));
            command(command, null).requireSuccess();
        }

        private String summary(Collection<IpPrefix> prefixes) {
            return prefixes.size() <= 3 ? prefixes.toString() : prefixes.size() + " prefixes";
        }
    }
}
