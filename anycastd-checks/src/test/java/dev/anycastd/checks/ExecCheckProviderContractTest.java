package dev.anycastd.checks;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The exec provider is found by ServiceLoader and handles options as every provider must. */
class ExecCheckProviderContractTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new ExecCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("command", "/bin/true", "interval", "100ms");
    }
}
