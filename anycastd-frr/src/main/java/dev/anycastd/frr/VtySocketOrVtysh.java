package dev.anycastd.frr;

import dev.anycastd.core.prefix.RoutingException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport {@code auto}: bgpd's vty socket when it can be connected to, else the vtysh program
 * (the socket is missing, bgpd does not listen, or anycastd's user is not root and not in group
 * {@code frrvty}). Chosen again at every call, since nothing has been sent when a connection
 * fails, so a bgpd that starts later, or a permission granted later, is used. Which one is used,
 * and why, is logged when the choice is first made and whenever it changes.
 *
 * <p>Thread-safe; equal when its socket and vtysh are, whatever it chose last.
 */
final class VtySocketOrVtysh implements FrrTransport {

    private static final Logger log = LoggerFactory.getLogger(VtySocketOrVtysh.class);

    private final VtySocket socket;
    private final Vtysh vtysh;
    /** The transport the last call used, to log only a change; any thread may set it. */
    private final AtomicReference<FrrTransport> chosen = new AtomicReference<>();

    VtySocketOrVtysh(VtySocket socket, Vtysh vtysh) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.vtysh = Objects.requireNonNull(vtysh, "vtysh");
        if (!socket.timeout().equals(vtysh.timeout())) {
            throw new IllegalArgumentException("socket and vtysh must share a timeout: " + socket.timeout() + ", " + vtysh.timeout());
        }
    }

    @Override
    public Result run(List<String> commands) throws VtyshException {
        try {
            Result result = socket.attempt(commands);
            choose(socket, null);
            return result;
        } catch (VtySocket.Unconnectable e) {
            choose(vtysh, e.reason());
            return vtysh.run(commands);
        }
    }

    @Override
    public Duration timeout() {
        return socket.timeout();
    }

    @Override
    public void requireUsable() throws RoutingException {
        Optional<String> reason = socket.unusableReason();
        if (reason.isEmpty()) {
            choose(socket, null);
            return;
        }
        choose(vtysh, reason.get());
        vtysh.requireUsable();
    }

    @Override
    public String describe() {
        return socket.describe() + " (else " + vtysh.describe() + ")";
    }

    @Override
    public String announcedThrough() {
        return socket.socket() + " or " + vtysh.program();
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("transport", "auto");
        options.put("vty-socket", socket.socket().toString());
        options.put("vtysh", vtysh.program().toString());
        return Collections.unmodifiableMap(options);
    }

    private void choose(FrrTransport transport, String reason) {
        FrrTransport before = chosen.getAndSet(transport);
        if (transport.equals(before)) {
            return;
        }
        if (transport == socket) {
            log.atInfo().addKeyValue("transport", "vty").addKeyValue("vty_socket", socket.socket().toString())
                    .log("Talking to FRR through bgpd's {}{}.", socket.describe(),
                            before == null ? ", which can be connected to" : ": it can be connected to again");
        } else {
            log.atInfo().addKeyValue("transport", "vtysh").addKeyValue("vtysh", vtysh.program().toString())
                    .addKeyValue("vty_socket", socket.socket().toString()).addKeyValue("reason", reason)
                    .log("Talking to FRR through {}: bgpd's {} cannot be connected to ({}). The socket is FRR's (group frrvty);"
                            + " run anycastd as root or in group frrvty to use it.", vtysh.describe(), socket.describe(), reason);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VtySocketOrVtysh that && socket.equals(that.socket) && vtysh.equals(that.vtysh);
    }

    @Override
    public int hashCode() {
        return Objects.hash(socket, vtysh);
    }

    @Override
    public String toString() {
        return "VtySocketOrVtysh[" + socket + ", " + vtysh + "]";
    }
}
