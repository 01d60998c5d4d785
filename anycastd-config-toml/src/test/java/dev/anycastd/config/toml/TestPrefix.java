package dev.anycastd.config.toml;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;

/**
 * Test double: a prefix as the configuration described it, comparable by value. It only
 * records configuration; it never talks to a routing daemon, so announcing is unsupported. It
 * has forms like FRR's route-maps ({@link #through}), with FRR's rule for names.
 */
record TestPrefix(IpPrefix prefix, String vrf, String routePolicy) implements Prefix {

    TestPrefix(IpPrefix prefix, String vrf) {
        this(prefix, vrf, null);
    }

    @Override
    public java.util.Optional<Prefix> through(String routePolicy) {
        if (!routePolicy.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("\"" + routePolicy + "\" is not a route-map name; use letters, digits, '-', '_', '.'");
        }
        return java.util.Optional.of(new TestPrefix(prefix, vrf, routePolicy));
    }

    @Override
    public String describe() {
        return prefix + (routePolicy == null ? "" : " (route-map " + routePolicy + ")");
    }

    static TestPrefix of(String prefix) {
        return new TestPrefix(IpPrefix.parse(prefix), null);
    }

    static TestPrefix of(String prefix, String vrf) {
        return new TestPrefix(IpPrefix.parse(prefix), vrf);
    }

    @Override
    public String announcedIn() {
        return "test prefixes, " + (vrf == null ? "default VRF" : "VRF " + vrf);
    }

    @Override
    public void announce() {
        throw new UnsupportedOperationException("a configuration record, not a routing daemon");
    }

    @Override
    public void withdraw() {
        throw new UnsupportedOperationException("a configuration record, not a routing daemon");
    }

    @Override
    public boolean isAnnounced() {
        throw new UnsupportedOperationException("a configuration record, not a routing daemon");
    }
}
