package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The adapter against a real Cabourotte (v1.12.0, the version the fixtures come from) in a
 * container. Runs where a Docker engine exists; skipped cleanly where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
class CabourotteContainerTest {

    @Container
    private static final GenericContainer<?> CABOUROTTE = new GenericContainer<>(DockerImageName.parse("mcorbin/cabourotte:v1.12.0"))
            .withCopyFileToContainer(MountableFile.forClasspathResource("dev/anycastd/cabourotte/cabourotte.yaml"), "/cabourotte.yaml")
            .withExposedPorts(9013)
            .waitingFor(Wait.forHttp("/result").forStatusCode(200));

    private static HealthCheck check(String name) throws ConfigurationException {
        String url = "http://" + CABOUROTTE.getHost() + ":" + CABOUROTTE.getMappedPort(9013);
        return new CabourotteCheckProvider().create(Options.of("services.test.checks.cabourotte[0]",
                Map.of("name", name, "url", url, "interval", "1s")));
    }

    @Test
    void aPassingCheckIsHealthy() throws ConfigurationException {
        HealthCheck dns = check("dns");

        await().atMost(Duration.ofSeconds(15)).until(() -> dns.check().equals(Health.healthy()));
    }

    @Test
    void aFailingCheckIsUnhealthyWithCabourottesMessage() throws ConfigurationException {
        HealthCheck ntp = check("ntp_v4");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ntp.check())
                .isInstanceOfSatisfying(Health.Unhealthy.class, unhealthy -> assertThat(unhealthy.reason()).contains("code=1")));
    }

    @Test
    void aCheckCabourotteDoesNotHaveIsUnhealthy() throws ConfigurationException {
        assertThat(check("nope").check()).isInstanceOfSatisfying(Health.Unhealthy.class,
                unhealthy -> assertThat(unhealthy.reason()).contains("does not exist in Cabourotte"));
    }
}
