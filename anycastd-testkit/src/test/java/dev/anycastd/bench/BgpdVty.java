package dev.anycastd.bench;

import dev.anycastd.core.prefix.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks one bgpd about its BGP table over its vty socket, speaking the protocol vtysh speaks to
 * it (a command ending in NUL; the answer ending in three NULs and a status byte). A query
 * costs well under a millisecond, where starting vtysh costs some 50 ms: what lets the
 * benchmark watch the upstream router in a tight loop without its own cost hiding the figures.
 *
 * <p>Not thread-safe: one query at a time.
 */
final class BgpdVty implements AutoCloseable {


    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    private BgpdVty(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to {@code socket}, e.g. the lab router's directory + {@code bgpd.vty}. */
    static BgpdVty connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new BgpdVty(channel);
    }

    /** The output of one command. */
    String run(String command) throws IOException {
        channel.write(ByteBuffer.wrap((command + "\0").getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                throw new IOException("bgpd closed its vty socket during \"" + command + "\"");
            }
            out.write(buffer.array(), 0, read);
            byte[] bytes = out.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == 0 && bytes[n - 3] == 0 && bytes[n - 2] == 0) {
                if (bytes[n - 1] != 0) {
                    throw new IOException("bgpd answered \"" + command + "\" with status " + bytes[n - 1] + ": "
                            + new String(bytes, 0, n - 4, StandardCharsets.UTF_8).strip());
                }
                return new String(bytes, 0, n - 4, StandardCharsets.UTF_8);
            }
        }
    }

    /** How many prefixes of {@code family} the router has received from {@code neighbor} (0 without such a session). */
    int received(String neighbor, IpPrefix.Family family) throws IOException {
        String summary = run("show bgp " + (family == IpPrefix.Family.IPV4 ? "ipv4" : "ipv6") + " unicast summary json");
        // A peer's object in the summary holds no nested object before its pfxRcd.
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(neighbor) + "\":\\{[^{}]*?\"pfxRcd\":(\\d+)").matcher(summary);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** Whether the router's BGP table has a path to {@code prefix}. */
    boolean has(IpPrefix prefix) throws IOException {
        String family = prefix.family() == IpPrefix.Family.IPV4 ? "ipv4" : "ipv6";
        return run("show bgp " + family + " unicast " + prefix + " json").contains("\"paths\"");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
