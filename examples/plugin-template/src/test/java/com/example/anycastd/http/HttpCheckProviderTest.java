package com.example.anycastd.http;

import dev.anycastd.testkit.contract.ProviderContract;
import java.util.Map;

/** The testkit's contract for providers: registered for ServiceLoader, builds from valid options, rejects wrong ones. */
class HttpCheckProviderTest extends ProviderContract {

    @Override
    protected Object provider() {
        return new HttpCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("url", "http://127.0.0.1:8080/health");
    }
}
