package dev.anycastd.config.toml;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Test double for the {@code frrouting} provider: validates its options the way the real one
 * must (the prefix, a VRF name that is safe to put in a vtysh command, the vtysh path) and
 * keeps every {@link Options} it was given, but builds {@link TestPrefix} records instead of
 * prefixes that drive FRR. Not thread-safe; one per test.
 */
final class RecordingPrefixProvider implements PrefixProvider {

    private static final Pattern VRF_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final List<Options> received = new ArrayList<>();

    @Override
    public String type() {
        return "frrouting";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("prefix");
    }

    @Override
    public TestPrefix create(Options options) throws ConfigurationException {
        received.add(options);
        options.requireOnly("prefix", "vrf", "vtysh");
        IpPrefix prefix = options.getPrefix("prefix");
        options.getPath("vtysh", null);
        return new TestPrefix(prefix, vrf(options));
    }

    /** The original accepted a VRF as an integer too ({@code vrf = 123}). */
    private static String vrf(Options options) throws ConfigurationException {
        Object value = options.get("vrf").orElse(null);
        if (value == null) {
            return null;
        }
        String vrf = value instanceof Long number ? number.toString() : options.getString("vrf");
        if (!VRF_NAME.matcher(vrf).matches()) {
            throw options.error("vrf", "\"" + vrf.replace("\n", "\\n") + "\" is not a VRF name; use up to 15 letters, digits, '-', '_', '.'");
        }
        return vrf;
    }

    /** The options of every item, in the order they were built. */
    List<Options> received() {
        return received;
    }
}
