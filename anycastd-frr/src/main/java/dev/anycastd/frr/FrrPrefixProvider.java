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
 * {@code vtysh}, as {@code network} lines of {@code router bgp ASN} (or {@code router bgp ASN vrf V}).
 *
 * <p>Options:
 * <table>
 *   <caption>frrouting options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code prefix}</td><td>required</td><td>the network to announce; a bare address is a host route</td></tr>
 *   <tr><td>{@code vrf}</td><td>the default VRF</td><td>the VRF whose {@code router bgp} carries the prefix
 *       ({@code "default"} is the default VRF)</td></tr>
 *   <tr><td>{@code vtysh}</td><td>{@code /usr/bin/vtysh}</td><td>the vtysh program, an absolute path</td></tr>
 *   <tr><td>{@code route-map}</td><td>none</td><td>announce with {@code network P route-map RM}, so FRR
 *       applies that route-map (communities, MED, prepends)</td></tr>
 *   <tr><td>{@code timeout}</td><td>5 s</td><td>bound on one vtysh call; vtysh is killed after it</td></tr>
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
 * <p>Prefixes of one vtysh and VRF are changed together: a service's N prefixes cost one vtysh
 * process, not N, and the local AS number is read once. The provider does not contact FRR;
 * {@link Prefix#verify()} does, and reports a missing vtysh, an unreachable FRR or a missing
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

    /** Shared so that all prefixes of one vtysh and VRF share the cached AS number. */
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
            options.requireOnly("prefix", "vrf", "vtysh", "route-map", "timeout");
            return null;
        });
        IpPrefix prefix = problems.read(() -> options.getPrefix("prefix"));
        String vrfName = problems.read(() -> name(options, "vrf", "a VRF name", VRF_MAX));
        String routeMap = problems.read(() -> name(options, "route-map", "a route-map name", ROUTE_MAP_MAX));
        Path program = problems.read(() -> vtysh(options));
        Duration timeout = problems.read(() -> options.getDuration("timeout", DEFAULT_TIMEOUT));
        problems.throwIfAny();
        String vrf = "default".equals(vrfName) ? null : vrfName;
        BgpInstance bgp = new BgpInstance(new Vtysh(program, timeout), vrf);
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

    private static Path vtysh(Options options) throws ConfigurationException {
        Path program = options.getPath("vtysh", DEFAULT_VTYSH);
        if (!program.isAbsolute()) {
            throw options.error("vtysh", Options.quote(program.toString()) + " is not an absolute path; give the full path, e.g. "
                    + DEFAULT_VTYSH);
        }
        return program;
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
