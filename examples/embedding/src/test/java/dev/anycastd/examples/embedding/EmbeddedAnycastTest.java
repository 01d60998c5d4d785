package dev.anycastd.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.ServiceStatus;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the example of docs/EMBEDDING.md against the FRR lab and a fake Cabourotte. */
@ExtendWith(FrrLabExtension.class)
class EmbeddedAnycastTest {

    private static final IpPrefix SERVICE = IpPrefix.parse("203.0.113.53");

    private final FrrLab lab;

    EmbeddedAnycastTest(FrrLab lab) {
        this.lab = lab;
    }

    @Test
    void theServiceIsAnnouncedUpstreamWhileHealthyAndWithdrawnWhenClosed() throws Exception {
        lab.host().addLoopbackAddresses(List.of(SERVICE));
        List<ServiceStatus> changes = new CopyOnWriteArrayList<>();
        try (FakeCabourotte cabourotte = FakeCabourotte.start()) {
            cabourotte.healthy("dns");
            AnycastRuntime runtime = EmbeddedAnycast.start(lab.host().vtysh(), cabourotte.url(), changes::add);
            try {
                lab.upstream().awaitRoute(SERVICE);
                assertThat(runtime.status("dns").announce()).isTrue();

                cabourotte.failing("dns", "resolver down");
                lab.upstream().awaitNoRoute(SERVICE);
                assertThat(runtime.status("dns").reason()).isEqualTo("check dns: unhealthy: resolver down");

                cabourotte.healthy("dns");
                lab.upstream().awaitRoute(SERVICE);
            } finally {
                runtime.close();
            }
            lab.upstream().awaitNoRoute(SERVICE);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> changes.stream().anyMatch(status -> !status.announce()));
        assertThat(changes).anyMatch(status -> status.announce() && status.converged());
    }

    @Test
    void theDocumentShowsExactlyThisExample() throws Exception {
        String document = Files.readString(Path.of("../../docs/EMBEDDING.md"), StandardCharsets.UTF_8);
        String source = Files.readString(
                Path.of("src/main/java/dev/anycastd/examples/embedding/EmbeddedAnycast.java"), StandardCharsets.UTF_8);

        assertThat(document).as("docs/EMBEDDING.md holds EmbeddedAnycast.java verbatim").contains("```java\n" + source + "```");
    }
}
