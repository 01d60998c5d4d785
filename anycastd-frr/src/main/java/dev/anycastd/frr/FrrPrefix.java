package dev.anycastd.frr;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.prefix.RoutingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One prefix announced by FRRouting's bgpd: a {@code network} line in {@code router bgp ASN [vrf V]},
 * changed through vtysh or bgpd's vty socket. Built by {@link FrrPrefixProvider}, which has validated every value that
 * reaches a vtysh command.
 */
final class FrrPrefix implements Prefix {

    private static final Logger log = LoggerFactory.getLogger(FrrPrefix.class);

    private final IpPrefix prefix;
    private final BgpInstance bgp;
    private final String routeMap;
    /** Whether the operator was told that FRR will not advertise this prefix; set and cleared by reads. */
    private final AtomicBoolean reportedInvalid = new AtomicBoolean();
    /**
     * Whether FRR has yet to show this prefix's path valid since it was built or last announced;
     * while it has, or while it is reported not valid, reads look at the BGP table for it.
     */
    private final AtomicBoolean validityUnseen = new AtomicBoolean(true);
    /** Whether the operator was told that this prefix's route-map is not defined; set and cleared by reads. */
    private final AtomicBoolean reportedMissingRouteMap = new AtomicBoolean();

    /**
     * @param routeMap the route-map of the {@code network} line, or {@code null}
     */
    FrrPrefix(IpPrefix prefix, BgpInstance bgp, String routeMap) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.bgp = Objects.requireNonNull(bgp, "bgp");
        this.routeMap = routeMap;
    }

    @Override
    public IpPrefix prefix() {
        return prefix;
    }

    @Override
    public void announce() throws RoutingException {
        bgp.announce(List.of(this));
    }

    @Override
    public void withdraw() throws RoutingException {
        bgp.withdraw(List.of(this));
    }

    @Override
    public boolean isAnnounced() throws RoutingException {
        return bgp.announced(List.of(this)).contains(prefix);
    }

    @Override
    public boolean isAnnouncedExactly() throws RoutingException {
        return bgp.announcedExactly(List.of(this)).contains(prefix);
    }

    /**
     * The same network through route-map {@code routePolicy}: {@code network P route-map NAME} in
     * the same BGP instance, so announcing it replaces this prefix's line in place.
     *
     * @throws IllegalArgumentException when {@code routePolicy} is not a route-map name FRR accepts
     */
    @Override
    public Optional<Prefix> through(String routePolicy) {
        return Optional.of(new FrrPrefix(prefix, bgp, FrrPrefixProvider.requireRouteMapName(routePolicy)));
    }

    /** Also checks that FRR has this prefix's route-map, if it has one. */
    @Override
    public void verify() throws RoutingException {
        bgp.verify();
        if (routeMap != null) {
            bgp.verifyRouteMap(routeMap);
        }
    }

    /** The route-map of the {@code network} line, if any. */
    Optional<String> routeMap() {
        return Optional.ofNullable(routeMap);
    }

    @Override
    public String describe() {
        return prefix + " (frrouting" + bgp.vrf().map(vrf -> ", vrf " + vrf).orElse("")
                + (routeMap == null ? "" : ", route-map " + routeMap) + ")";
    }

    @Override
    public String announcedIn() {
        return FrrPrefixProvider.TYPE + " through " + bgp.transport().announcedThrough() + ", "
                + bgp.vrf().map(vrf -> "VRF " + vrf).orElse("default VRF");
    }

    @Override
    public Optional<PrefixRecord> record() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("prefix", prefix.toString());
        bgp.vrf().ifPresent(vrf -> options.put("vrf", vrf));
        options.putAll(bgp.transport().options());
        options.put("timeout", bgp.transport().timeout().toMillis() + "ms");
        if (routeMap != null) {
            options.put("route-map", routeMap);
        }
        return Optional.of(new PrefixRecord(FrrPrefixProvider.TYPE, options));
    }

    @Override
    public PrefixBatch batch() {
        return bgp;
    }

    /** The configuration line that announces this prefix. */
    String networkLine() {
        return "network " + prefix + (routeMap == null ? "" : " route-map " + routeMap);
    }

    /**
     * Warns once when FRR has this prefix's {@code network} line but not its route-map (then FRR
     * does not advertise it), and says when that ends.
     *
     * @param defined whether FRR defines the route-map (true when the prefix has none)
     */
    void observeRouteMap(boolean defined) {
        if (!defined) {
            if (reportedMissingRouteMap.compareAndSet(false, true)) {
                log.atError().addKeyValue("prefix", prefix.toString()).addKeyValue("vrf", bgp.vrf().orElse("default"))
                        .addKeyValue("route_map", routeMap).addKeyValue("reason", "route-map-missing")
                        .log("FRR has {} configured through route-map {}, but FRR has no route-map of that name, so it does not"
                                + " advertise the prefix. Define route-map {} in FRR (route-map {} permit 10, with its set clauses).",
                                describe(), routeMap, routeMap, routeMap);
            }
        } else if (reportedMissingRouteMap.compareAndSet(true, false)) {
            log.atInfo().addKeyValue("prefix", prefix.toString()).addKeyValue("route_map", routeMap)
                    .log("FRR has route-map {} for {} again.", routeMap, describe());
        }
    }

    /** Whether a read should look at the BGP table for this prefix's validity: see {@link #observeValidity}. */
    boolean validityUnsettled() {
        return validityUnseen.get() || reportedInvalid.get();
    }

    /** An announcement was made: the next read looks at the BGP table for this prefix again. */
    void unsettleValidity() {
        validityUnseen.set(true);
    }

    /**
     * Warns once when FRR has this prefix but will not advertise it, and says when that ends.
     * Once FRR has shown the path valid, reads stop looking until the next announcement.
     *
     * @param valid whether FRR's path is valid, or {@code null} when FRR does not have the prefix
     */
    void observeValidity(Boolean valid) {
        if (Boolean.TRUE.equals(valid)) {
            validityUnseen.set(false);
        }
        if (Boolean.FALSE.equals(valid)) {
            if (reportedInvalid.compareAndSet(false, true)) {
                log.atWarn().addKeyValue("prefix", prefix.toString()).addKeyValue("vrf", bgp.vrf().orElse("default"))
                        .addKeyValue("reason", "not-valid")
                        .log("FRR has {} configured but does not advertise it: its path is not valid, usually because the "
                                + "address is not in the routing table (BGP's import check). Put the address on an interface "
                                + "(e.g. ip address add {} dev lo) or route it, or disable the check (no bgp network import-check).",
                                describe(), prefix);
            }
        } else if (reportedInvalid.compareAndSet(true, false)) {
            log.atInfo().addKeyValue("prefix", prefix.toString()).addKeyValue("vrf", bgp.vrf().orElse("default"))
                    .log("FRR's path for {} is {}.", describe(), valid == null ? "gone" : "valid again; it is advertised");
        }
    }
}
