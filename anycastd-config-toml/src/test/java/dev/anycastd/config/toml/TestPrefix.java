package dev.anycastd.config.toml;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;

/**
 * Test double: a prefix as the configuration described it, comparable by value. It only
 * records configuration; it never talks to a routing daemon, so announcing is unsupported.
 */
record TestPrefix(IpPrefix prefix, String vrf) implements Prefix {

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
