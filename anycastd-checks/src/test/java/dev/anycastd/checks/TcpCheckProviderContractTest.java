package dev.anycastd.checks;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The tcp provider is found by ServiceLoader and handles options as every provider must. */
class TcpCheckProviderContractTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new TcpCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("address", "127.0.0.1:53", "interval", "100ms");
    }
}
