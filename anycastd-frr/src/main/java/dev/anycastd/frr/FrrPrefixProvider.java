package dev.anycastd.frr;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.core.spi.Problems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Provider of prefix type {@code frrouting}: prefixes announced by FRRouting's bgpd, through
 * bgpd's vty socket or the {@code vtysh} program, as {@code network} lines of
 * {@code router bgp ASN} (or {@code router bgp ASN vrf V}).
 *
 * <p>Options:
 * <table>
 *   <caption>frrouting options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code prefix}</td><td>required</td><td>the network to announce; a bare address is a host route</td></tr>
 *   <tr><td>{@code vrf}</td><td>the default VRF</td><td>the VRF whose {@code router bgp} carries the prefix
 *       ({@code "default"} is the default VRF)</td></tr>
 *   <tr><td>{@code vtysh}</td><td>{@code /usr/bin/vtysh}</td><td>the vtysh program, an absolute path</td></tr>
 *   <tr><td>{@code vty-socket}</td><td>{@code /var/run/frr/bgpd.vty}</td><td>bgpd's vty socket, an absolute path</td></tr>
 *   <tr><td>{@code transport}</td><td>{@code "auto"}</td><td>how commands reach bgpd: {@code "vty"} (its vty socket,
 *       no process started; needs root or group {@code frrvty}), {@code "vtysh"} (the vtysh program), or
 *       {@code "auto"}: the socket when it can be connected to, else vtysh, chosen at each call and
 *       logged when the choice changes. {@code "auto"} with a {@code vtysh} option and no
 *       {@code vty-socket} option uses that vtysh alone</td></tr>
 *   <tr><td>{@code route-map}</td><td>none</td><td>announce with {@code network P route-map RM}, so FRR
 *       applies that route-map (communities, MED, prepends)</td></tr>
 *   <tr><td>{@code timeout}</td><td>5 s</td><td>bound on one call; vtysh is killed, or the socket closed, after it</td></tr>
 * </table>
 *
 * <p>Every value that reaches a vtysh command is validated here, so none can add a command: VRF
 * and route-map names are letters, digits, {@code -}, {@code _} and {@code .} only. The short
 * form {@code prefixes.frrouting = ["203.0.113.53"]} gives just the prefix.
 *
 * <p>A prefix can be announced through another route-map ({@link Prefix#through}): the same
 * {@code network} line with that route-map, which FRR switches in place; what a service announces
 * while down ({@code when-down}) or while a drain holds ({@code drain-route-map}) is built so.
 * {@link Prefix#verify()} also checks that FRR defines the prefix's route-map, since FRR accepts a
 * {@code network} line naming an undefined one and then does not advertise the prefix.
 *
 * <p>Prefixes of one transport and VRF are changed together: a service's N prefixes cost one
 * vtysh process or socket connection, not N, and the local AS number is read once. Both
 * transports send the same commands and report failures the same way ({@link VtyshException});
 * tried with FRR 8.4.4. The provider does not contact FRR;
 * {@link Prefix#verify()} does, and reports a missing vtysh or socket, an unreachable FRR or a missing
 * {@code router bgp} with the fix.
 */
public final class FrrPrefixProvider implements PrefixProvider {

    /** The type name configurations select this provider by. */
    public static final String TYPE = "frrouting";

    static final Path DEFAULT_VTYSH = Path.of("/usr/bin/vtysh");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String NAME_HINT = "use letters, digits, '-', '_', '.'";
    /** FRR's longest VRF name (VRF_NAMSIZ - 1). */
    private static final int VRF_MAX = 35;
    private static final int ROUTE_MAP_MAX = 63;
    private static final List<String> TRANSPORTS = List.of("auto", "vty", "vtysh");

    /** Shared so that all prefixes of one transport and VRF share the cached AS number. */
    private final ConcurrentMap<BgpInstance, BgpInstance> instances = new ConcurrentHashMap<>();

    /** Used by {@link java.util.ServiceLoader}; embedders may call it too. */
    public FrrPrefixProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("prefix");
    }

    @Override
    public Prefix create(Options options) throws ConfigurationException {
        // Every option is read even after one is wrong, so that one mistake does not hide the next.
        Problems problems = new Problems();
        problems.read(() -> {
            options.requireOnly("prefix", "vrf", "vtysh", "route-map", "timeout", "transport", "vty-socket");
            return null;
        });
        IpPrefix prefix = problems.read(() -> options.getPrefix("prefix"));
        String vrfName = problems.read(() -> name(options, "vrf", "a VRF name", VRF_MAX));
        String routeMap = problems.read(() -> name(options, "route-map", "a route-map name", ROUTE_MAP_MAX));
        Path program = problems.read(() -> absolutePath(options, "vtysh", DEFAULT_VTYSH));
        Path socket = problems.read(() -> absolutePath(options, "vty-socket", VtySocket.DEFAULT));
        String transport = problems.read(() -> transport(options));
        Duration timeout = problems.read(() -> options.getDuration("timeout", DEFAULT_TIMEOUT));
        problems.throwIfAny();
        String vrf = "default".equals(vrfName) ? null : vrfName;
        BgpInstance bgp = new BgpInstance(transport(transport, options, program, socket, timeout), vrf);
        return new FrrPrefix(prefix, instances.computeIfAbsent(bgp, key -> key), routeMap);
    }

    /**
     * {@code name} when it is a route-map name FRR accepts and no command can hide in it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static String requireRouteMapName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException((name == null ? "no route-map name" : Options.quote(name) + " is not a route-map name")
                    + "; " + NAME_HINT);
        }
        if (name.length() > ROUTE_MAP_MAX) {
            throw new IllegalArgumentException(Options.quote(name) + " is longer than FRR allows (" + ROUTE_MAP_MAX
                    + " characters); use a shorter name");
        }
        return name;
    }

    private static Path absolutePath(Options options, String key, Path fallback) throws ConfigurationException {
        Path path = options.getPath(key, fallback);
        if (!path.isAbsolute()) {
            throw options.error(key, Options.quote(path.toString()) + " is not an absolute path; give the full path, e.g. " + fallback);
        }
        return path;
    }

    private static String transport(Options options) throws ConfigurationException {
        String transport = options.getString("transport", "auto");
        if (!TRANSPORTS.contains(transport)) {
            throw options.error("transport", Options.quote(transport) + " is not a transport; use \"vty\" (bgpd's vty socket),"
                    + " \"vtysh\" (the vtysh program) or \"auto\" (the socket when it can be connected to, else vtysh)");
        }
        return transport;
    }

    /**
     * The transport named by option {@code transport}. {@code auto} with a {@code vtysh} option
     * but no {@code vty-socket} is vtysh alone: a vtysh of one's own may well talk to another FRR
     * than the one whose socket is at the default place.
     */
    private static FrrTransport transport(String name, Options options, Path program, Path socket, Duration timeout) {
        Vtysh vtysh = new Vtysh(program, timeout);
        VtySocket vty = new VtySocket(socket, timeout);
        return switch (name) {
            case "vty" -> vty;
            case "vtysh" -> vtysh;
            default -> options.get("vtysh").isPresent() && options.get("vty-socket").isEmpty() ? vtysh : new VtySocketOrVtysh(vty, vtysh);
        };
    }

    private static String name(Options options, String key, String what, int maxLength) throws ConfigurationException {
        // The original daemon accepted `vrf = 123` as well as `vrf = "123"`; both mean VRF "123".
        Object raw = options.get(key).orElse(null);
        String value = raw instanceof Long || raw instanceof Integer ? raw.toString() : options.getString(key, null);
        if (value == null) {
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            throw options.error(key, Options.quote(value) + " is not " + what + "; " + NAME_HINT);
        }
        if (value.length() > maxLength) {
            throw options.error(key, Options.quote(value) + " is longer than FRR allows (" + maxLength + " characters); use a shorter name");
        }
        return value;
    }
}
