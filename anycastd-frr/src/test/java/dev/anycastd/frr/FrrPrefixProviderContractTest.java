package dev.anycastd.frr;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The FRR provider is found by ServiceLoader and handles options as every provider must. */
class FrrPrefixProviderContractTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new FrrPrefixProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("prefix", "203.0.113.123", "vrf", "123", "route-map", "ANYCAST-OUT", "timeout", "2s");
    }
}
