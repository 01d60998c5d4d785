package dev.anycastd.frr;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import dev.anycastd.core.prefix.RoutingException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BGP instance of FRR: {@code router bgp ASN} in the default VRF or {@code router bgp ASN vrf V},
 * reached through one {@link FrrTransport} (the vtysh program or bgpd's vty socket). Every
 * {@link FrrPrefix} of that transport and VRF returns an equal instance from
 * {@link FrrPrefix#batch()}, so the runtime hands them over together and a change to N prefixes
 * costs one call (one vtysh process, or one socket connection) for the configuration. The
 * commands, their validation, the batching and the reading of answers are the same whichever
 * transport carries them; tried with FRR 8.4.4 (Debian 12's {@code frr} 8.4.4-1.1~deb12u2)
 * through both.
 *
 * <p>Facts about FRR 8.4 this relies on (measured):
 * <ul>
 *   <li>{@code network P} for a configured P succeeds and changes nothing (or updates its route-map),
 *       so announcing needs no look first.</li>
 *   <li>{@code no network P} for a P that is not configured fails with
 *       {@code % Can't find static route specified}, exit 1, and a batched {@code -c} stops at the
 *       first failing line, skipping the rest: so a withdrawal is tried in one call, and when a
 *       line fails, what is still configured is read back and finished.</li>
 *   <li>{@code show bgp [vrf V] ipv4|ipv6 unicast P json} shows a configured {@code network} as a
 *       path with {@code "local":true}; {@code "valid":false} means FRR will not advertise it.
 *       Several such commands in one call print one JSON document each, in order.</li>
 *   <li>The BGP table lags the configuration: right after {@code network P} returns, P may not be
 *       in the table yet, and right after {@code no network P} it may still be. What is configured
 *       is therefore read from {@code show running-config bgpd}, the table only for validity.</li>
 *   <li>An unknown VRF or a missing {@code router bgp} prints a JSON {@code "warning"} and exits 0.</li>
 *   <li>{@code network P route-map B} on a configured {@code network P route-map A}, and
 *       {@code network P} on {@code network P route-map A} (and back), replace the line in place:
 *       the upstream router receives one UPDATE with the new attributes and no withdrawal
 *       (seen with {@code debug bgp updates in} at the upstream: {@code wlen 0}).</li>
 *   <li>{@code no network P} removes a network whatever its route-map.</li>
 *   <li>{@code network P route-map X} for a route-map X that is not defined is accepted (exit 0)
 *       and kept in the configuration, but FRR does not advertise P: its local path disappears
 *       from the BGP table and the upstream router receives a withdrawal. {@code show route-map X}
 *       then prints {@code 'route-map X' not found} and exits 0; {@code show running-config bgpd}
 *       lists defined route-maps as {@code route-map X permit|deny SEQ} in column 0. So a
 *       route-map is checked against the running configuration, at verification and at each read.</li>
 *   <li>Over bgpd's vty socket the same lines give the same answers: {@code no network P} for an
 *       unconfigured P answers {@code % Can't find static route specified} with vty status 13
 *       ({@code CMD_WARNING_CONFIG_FAILED}), which vtysh turns into exit 1; an unknown VRF answers its
 *       JSON warning with status 1 ({@code CMD_WARNING}), on which vtysh exits 0.</li>
 *   <li>Whether a configured network is valid is read from the BGP table only until FRR has
 *       shown it valid once after its announcement (or while it is reported not valid): a
 *       reconcile of 1,000 announced prefixes then reads the running configuration alone.</li>
 * </ul>
 *
 * <p>Thread-safe: its only mutable state is the cached AS number, which any thread may clear.
 */
final class BgpInstance implements PrefixBatch {

    private static final Logger log = LoggerFactory.getLogger(BgpInstance.class);
    static final String NOT_CONFIGURED = "Can't find static route specified";

    private final FrrTransport transport;
    private final String vrf;
    /** The local AS number once read; cleared after any failed configuration, so a changed AS is found again. */
    private final AtomicReference<Long> asn = new AtomicReference<>();
    /**
     * Set once {@link #verify} passed: what it checks belongs to the instance, not the prefix, so
     * a daemon verifying 2,000 prefixes of one instance starts one vtysh, not 2,000 (~70 ms each).
     */
    private volatile boolean verified;
    /** Route-maps verified to exist; an operator who deletes one later is told at the next read. */
    private final Set<String> verifiedRouteMaps = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param vrf the VRF, or {@code null} for the default one
     */
    BgpInstance(FrrTransport transport, String vrf) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.vrf = vrf;
    }

    FrrTransport transport() {
        return transport;
    }

    Optional<String> vrf() {
        return Optional.ofNullable(vrf);
    }

    @Override
    public void announce(List<? extends Prefix> prefixes) throws RoutingException {
        List<FrrPrefix> members = members(prefixes);
        if (members.isEmpty()) {
            return;
        }
        members.forEach(FrrPrefix::unsettleValidity);
        FrrTransport.Result result = configure(members, true);
        if (result.succeeded()) {
            return;
        }
        // Lines after a failed one were skipped. Announcing is idempotent, so apply it all again,
        // with the AS number read afresh in case it was what failed.
        asn.set(null);
        log.atDebug().addKeyValue("vrf", vrfName()).addKeyValue("output", result.stdout().strip())
                .log("Announcing {} prefixes failed once ({}); trying again.", members.size(), result.stdout().strip());
        FrrTransport.Result again = configure(members, true);
        if (!again.succeeded()) {
            asn.set(null);
            throw again.failure("FRR did not announce " + describe(members));
        }
    }

    @Override
    public void withdraw(List<? extends Prefix> prefixes) throws RoutingException {
        List<FrrPrefix> members = members(prefixes);
        if (members.isEmpty()) {
            return;
        }
        // Optimistic: what is withdrawn was almost always announced, so one vtysh call does it,
        // where reading first took two (~50 ms each, on the path of every withdrawal). A prefix FRR
        // does not have fails its line, and FRR skips the rest: then read what is left and finish it.
        FrrTransport.Result result = configure(members, false);
        if (result.succeeded()) {
            return;
        }
        boolean notConfigured = result.exitCode() == 1 && result.stdout().contains(NOT_CONFIGURED) && result.stderr().isBlank();
        if (notConfigured && members.size() == 1) {
            log.atDebug().addKeyValue("prefix", members.get(0).describe())
                    .log("{} was not configured in FRR; it is withdrawn already.", members.get(0).describe());
            return;
        }
        if (!notConfigured) {
            asn.set(null);
        }
        List<FrrPrefix> left = configuredAmong(members);
        log.atDebug().addKeyValue("vrf", vrfName()).addKeyValue("output", result.stdout().strip())
                .log("Withdrawing {} prefixes stopped early ({}); {} are still configured.", members.size(), result.stdout().strip(), left.size());
        if (left.isEmpty()) {
            return;
        }
        FrrTransport.Result again = configure(left, false);
        if (!again.succeeded()) {
            asn.set(null);
            throw again.failure("FRR did not withdraw " + describe(left));
        }
    }

    @Override
    public Set<IpPrefix> announced(List<? extends Prefix> prefixes) throws RoutingException {
        return read(members(prefixes), false);
    }

    @Override
    public Set<IpPrefix> announcedExactly(List<? extends Prefix> prefixes) throws RoutingException {
        return read(members(prefixes), true);
    }

    /**
     * The networks of {@code prefixes} FRR has configured (with {@code exactly}: with the very
     * route-map of each prefix, or none when it has none), from one read of the running
     * configuration; tells the operator about route-maps FRR lacks and paths it will not advertise.
     */
    private Set<IpPrefix> read(List<FrrPrefix> members, boolean exactly) throws RoutingException {
        if (members.isEmpty()) {
            return Set.of();
        }
        FrrOutput.RunningConfig config = runningConfig();
        List<FrrPrefix> configured = new ArrayList<>();
        Set<IpPrefix> announced = new LinkedHashSet<>();
        for (FrrPrefix prefix : members) {
            String routeMap = config.networks().get(prefix.prefix());
            if (routeMap == null) {
                continue;
            }
            configured.add(prefix);
            if (!exactly || routeMap.equals(prefix.routeMap().orElse(""))) {
                announced.add(prefix.prefix());
            }
            if (routeMap.equals(prefix.routeMap().orElse(""))) {
                prefix.observeRouteMap(routeMap.isEmpty() || config.routeMaps().contains(routeMap));
            }
        }
        observeValidity(configured);
        return announced;
    }

    /**
     * Tells the operator, once, about configured prefixes FRR will not advertise. Reads the BGP
     * table only for the prefixes whose validity is still to be seen ({@link FrrPrefix#validityUnsettled()}),
     * so a reconcile of announced, valid prefixes reads no table. Best effort: the BGP table lags
     * the configuration by a moment, and failing to read it changes no verdict.
     */
    private void observeValidity(List<FrrPrefix> configured) {
        List<FrrPrefix> unsettled = configured.stream().filter(FrrPrefix::validityUnsettled).toList();
        if (unsettled.isEmpty()) {
            return;
        }
        try {
            Map<IpPrefix, Boolean> routes = routes(unsettled);
            for (FrrPrefix prefix : unsettled) {
                Boolean valid = routes.get(prefix.prefix());
                if (valid != null) {
                    prefix.observeValidity(valid);
                }
            }
        } catch (RoutingException e) {
            log.atDebug().addKeyValue("vrf", vrfName()).log("Could not read FRR's BGP table to check validity: {}", e.getMessage());
        }
    }

    /**
     * The networks configured in this BGP instance, from FRR's running configuration in one vtysh
     * call. Unlike the BGP table, which FRR updates a moment later, the configuration has changed
     * by the time the vtysh command that changed it returns: a withdrawal right after an
     * announcement must see the announcement.
     */
    Set<IpPrefix> configuredNetworks() throws RoutingException {
        return runningConfig().networks().keySet();
    }

    /** The networks of this instance with their route-maps, and the route-maps FRR has defined, in one vtysh call. */
    private FrrOutput.RunningConfig runningConfig() throws RoutingException {
        FrrTransport.Result result = transport.run(List.of("show running-config bgpd"));
        if (!result.succeeded()) {
            throw result.failure("FRR did not show its running configuration");
        }
        return FrrOutput.runningConfig(result.stdout(), vrf);
    }

    /**
     * Checks that FRR has route-map {@code name} defined: FRR accepts a {@code network} line
     * naming an undefined route-map and then does not advertise the network.
     *
     * @throws RoutingException saying which route-map is missing and how to define it
     */
    void verifyRouteMap(String name) throws RoutingException {
        if (verifiedRouteMaps.contains(name)) {
            return;
        }
        if (!runningConfig().routeMaps().contains(name)) {
            throw new RoutingException("FRR has no route-map \"" + name + "\"; FRR would accept \"network ... route-map " + name
                    + "\" but not advertise the prefix. Define it in FRR (e.g. \"route-map " + name + " permit 10\" with its"
                    + " set clauses) or correct the route-map name");
        }
        verifiedRouteMaps.add(name);
    }

    /**
     * The local AS number, read once from {@code show bgp [vrf V] detail json} and again after a
     * failed configuration.
     */
    long asn() throws RoutingException {
        Long known = asn.get();
        if (known != null) {
            return known;
        }
        FrrTransport.Result result = transport.run(List.of(show("detail json")));
        if (!result.succeeded()) {
            throw result.failure("FRR did not report its BGP instance" + inVrf());
        }
        return remember(result, FrrOutput.instance(result));
    }

    /** The AS number of a {@code detail json} answer, cached; an answer without an instance is a failure. */
    private long remember(FrrTransport.Result result, FrrOutput.Instance instance) throws VtyshException {
        if (instance instanceof FrrOutput.Instance.Missing missing) {
            throw result.failure("FRR has no BGP instance" + inVrf() + ": " + missing.warning());
        }
        long localAs = ((FrrOutput.Instance.Present) instance).localAs();
        asn.set(localAs);
        return localAs;
    }

    /**
     * Checks that vtysh runs, FRR answers and has {@code router bgp} in this VRF. Once that
     * passed, later calls (for the other prefixes of this instance) pass at once.
     *
     * @throws RoutingException whose message says what is missing and the fix; the caller names the prefix
     */
    void verify() throws RoutingException {
        if (verified) {
            return;
        }
        transport.requireUsable();
        FrrTransport.Result result;
        try {
            result = transport.run(List.of(show("detail json")));
        } catch (VtyshException e) {
            throw new RoutingException(transport.describe() + " did not answer: " + e.getMessage()
                    + "; check that FRR is running", e);
        }
        if (!result.succeeded()) {
            String said = (result.stderr().strip() + " " + result.stdout().strip()).strip();
            throw new RoutingException("FRR is not reachable through " + transport.describe() + " ("
                    + result.refusal().orElse("exit code " + result.exitCode()) + ": " + said + "); start FRR with bgpd enabled"
                    + " (bgpd=yes in /etc/frr/daemons) and run anycastd as a user allowed to use FRR's vty sockets (root or group frrvty)",
                    result.failure("vtysh failed"));
        }
        FrrOutput.Instance instance;
        try {
            instance = FrrOutput.instance(result);
        } catch (VtyshException e) {
            throw new RoutingException(e.getMessage() + inVrf() + "; is this FRRouting's vtysh?", e);
        }
        if (instance instanceof FrrOutput.Instance.Missing missing) {
            String fix = vrf == null
                    ? "there is no \"router bgp\" in FRR's default VRF; configure \"router bgp <your AS>\" in FRR"
                    : "there is no \"router bgp\" in FRR's VRF \"" + vrf + "\"; configure \"router bgp <your AS> vrf " + vrf
                            + "\" in FRR, or correct the option vrf";
            throw new RoutingException(fix + " (FRR says: " + missing.warning() + ")", result.failure("no BGP instance"));
        }
        remember(result, instance);
        verified = true;
    }

    /**
     * The given prefixes FRR has configured (a local path), each with whether it is valid, read
     * with one vtysh call. Prefixes FRR does not have are absent.
     */
    Map<IpPrefix, Boolean> routes(List<FrrPrefix> prefixes) throws RoutingException {
        if (prefixes.isEmpty()) {
            return Map.of();
        }
        List<String> commands = new ArrayList<>(prefixes.size());
        for (FrrPrefix prefix : prefixes) {
            commands.add(show(family(prefix.prefix()) + " unicast " + prefix.prefix() + " json"));
        }
        FrrTransport.Result result = transport.run(commands);
        if (!result.succeeded()) {
            throw result.failure("FRR did not show its BGP table" + inVrf());
        }
        return FrrOutput.localPaths(result, prefixes.stream().map(FrrPrefix::prefix).toList());
    }

    private List<FrrPrefix> configuredAmong(List<FrrPrefix> prefixes) throws RoutingException {
        if (prefixes.isEmpty()) {
            return List.of();
        }
        Set<IpPrefix> networks = configuredNetworks();
        return prefixes.stream().filter(prefix -> networks.contains(prefix.prefix())).toList();
    }

    /** One call: {@code configure terminal}, the instance, and one {@code [no] network} line per prefix. */
    private FrrTransport.Result configure(List<FrrPrefix> prefixes, boolean announce) throws RoutingException {
        List<String> lines = new ArrayList<>();
        lines.add("configure terminal");
        lines.add("router bgp " + asn() + (vrf == null ? "" : " vrf " + vrf));
        for (IpPrefix.Family family : IpPrefix.Family.values()) {
            List<FrrPrefix> ofFamily = prefixes.stream().filter(prefix -> prefix.prefix().family() == family).toList();
            if (ofFamily.isEmpty()) {
                continue;
            }
            lines.add("address-family " + (family == IpPrefix.Family.IPV4 ? "ipv4" : "ipv6") + " unicast");
            for (FrrPrefix prefix : ofFamily) {
                lines.add(announce ? prefix.networkLine() : "no network " + prefix.prefix());
            }
            lines.add("exit-address-family");
        }
        long started = System.nanoTime();
        FrrTransport.Result result = transport.run(List.of(String.join("\n", lines)));
        log.atDebug().addKeyValue("vrf", vrfName()).addKeyValue("prefixes", prefixes.size()).addKeyValue("announce", announce)
                .addKeyValue("exitCode", result.exitCode()).addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                .log("{} {} prefixes through {}: exit code {}.", announce ? "Announced" : "Withdrew", prefixes.size(),
                        transport.describe(), result.exitCode());
        return result;
    }

    private String show(String what) {
        return "show bgp " + (vrf == null ? "" : "vrf " + vrf + " ") + what;
    }

    private static String family(IpPrefix prefix) {
        return prefix.family() == IpPrefix.Family.IPV4 ? "ipv4" : "ipv6";
    }

    private String inVrf() {
        return vrf == null ? " in the default VRF" : " in VRF \"" + vrf + "\"";
    }

    private String vrfName() {
        return vrf == null ? "default" : vrf;
    }

    private static String describe(List<FrrPrefix> prefixes) {
        return prefixes.size() == 1 ? prefixes.get(0).describe() : prefixes.size() + " prefixes (" + prefixes.get(0).describe() + ", ...)";
    }

    private List<FrrPrefix> members(List<? extends Prefix> prefixes) {
        List<FrrPrefix> members = new ArrayList<>(prefixes.size());
        for (Prefix prefix : prefixes) {
            if (!(prefix instanceof FrrPrefix frr) || !equals(frr.batch())) {
                throw new IllegalArgumentException(prefix.describe() + " does not belong to this batch (" + transport.describe() + inVrf() + ")");
            }
            members.add(frr);
        }
        return members;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BgpInstance that && transport.equals(that.transport) && Objects.equals(vrf, that.vrf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, vrf);
    }

    @Override
    public String toString() {
        return "FRR BGP" + inVrf() + " through " + transport.describe();
    }
}
