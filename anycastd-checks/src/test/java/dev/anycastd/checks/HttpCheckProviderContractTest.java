package dev.anycastd.checks;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The http provider is found by ServiceLoader and handles options as every provider must. */
class HttpCheckProviderContractTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new HttpCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("url", "http://127.0.0.1:8080/health", "interval", "100ms");
    }
}
