package dev.anycastd.cabourotte;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The Cabourotte provider is found by ServiceLoader and handles options as every provider must. */
class CabourotteCheckProviderContractTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new CabourotteCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("name", "dns", "url", "http://127.0.0.1:9013", "interval", 2L);
    }
}
