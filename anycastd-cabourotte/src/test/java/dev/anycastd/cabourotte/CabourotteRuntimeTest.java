package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Cabourotte check driving a service through the real runtime, as the daemon runs it. */
class CabourotteRuntimeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final FakeCabourotte cabourotte = FakeCabourotte.start();

    @AfterEach
    void stop() {
        cabourotte.close();
    }

    @Test
    void announcesWhileTheCabourotteCheckPassesAndWithdrawsWhenItFails() throws Exception {
        HealthCheck check = new CabourotteCheckProvider().create(Options.of("services.dns.checks.cabourotte[0]",
                Map.of("name", "dns", "url", cabourotte.url().toString(), "interval", "200ms")));
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        cabourotte.healthy("dns");

        try (AnycastRuntime runtime = AnycastRuntime.builder()
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(check)))
                .build()) {
            runtime.start();
            await().atMost(DEADLINE).until(prefix::announced);

            cabourotte.failing("dns", "resolver down");
            await().atMost(DEADLINE).until(() -> !prefix.announced());
            assertThat(runtime.status("dns").checks()).containsEntry("dns", Health.unhealthy("resolver down"));

            cabourotte.delete("dns");
            await().atMost(DEADLINE).until(() -> runtime.status("dns").checks().get("dns") instanceof Health.Unhealthy missing
                    && missing.reason().startsWith("check \"dns\" does not exist"));
            assertThat(prefix.announced()).isFalse();

            cabourotte.healthy("dns");
            await().atMost(DEADLINE).until(prefix::announced);
        }
        assertThat(prefix.announced()).as("withdrawn at shutdown").isFalse();
        assertThat(cabourotte.requestCount("dns")).isGreaterThanOrEqualTo(4);
    }
}
