package dev.anycastd.cabourotte;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The Cabourotte check honours the health check contract every plugin is held to. */
class CabourotteCheckContractTest extends HealthCheckContract {

    private final FakeCabourotte cabourotte = FakeCabourotte.start();

    @AfterEach
    void stop() {
        cabourotte.close();
    }

    private HealthCheck check(String name, String url, String timeout) throws ConfigurationException {
        Map<String, Object> options = new HashMap<>(Map.of("name", name, "url", url, "interval", "5s"));
        if (timeout != null) {
            options.put("timeout", timeout);
        }
        return new CabourotteCheckProvider().create(Options.of("services.contract.checks.cabourotte[0]", options));
    }

    @Override
    protected HealthCheck healthyCheck() throws ConfigurationException {
        cabourotte.healthy("dns");
        return check("dns", cabourotte.url().toString(), null);
    }

    @Override
    protected HealthCheck failingCheck() throws ConfigurationException {
        cabourotte.failing("dns", "dns lookup of check.local failed");
        return check("dns", cabourotte.url().toString(), null);
    }

    @Override
    protected HealthCheck unreachableCheck() throws ConfigurationException {
        int closedPort = cabourotte.port();
        cabourotte.close();
        return check("dns", "http://127.0.0.1:" + closedPort, null);
    }

    @Override
    protected HealthCheck slowCheck() throws ConfigurationException {
        cabourotte.healthy("dns").delayAnswers(Duration.ofSeconds(30));
        return check("dns", cabourotte.url().toString(), "300ms");
    }
}
