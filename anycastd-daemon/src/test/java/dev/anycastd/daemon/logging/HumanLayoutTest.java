package dev.anycastd.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanLayoutTest {

    @Test
    void writesTimestampLevelMessageThenKeyValuesLikeTheOriginal() {
        String line = new HumanLayout(false).doLayout(LogEvents.event(Level.INFO,
                "Reading configuration from /etc/anycastd/config.toml.", null, "config_path", "/etc/anycastd/config.toml"));

        assertThat(line).isEqualTo("2024-03-25T15:17:23.783539Z [info     ] Reading configuration from /etc/anycastd/config.toml."
                + " config_path=/etc/anycastd/config.toml" + System.lineSeparator());
    }

    @Test
    void padsShortMessagesSoKeyValuesLineUpAndNamesWarningsAsTheOriginal() {
        String line = new HumanLayout(false).doLayout(LogEvents.event(Level.WARN, "Short.", null,
                "prefixes", List.of("203.0.113.53/32", "2001:db8::53/128"), "healthy", false));

        assertThat(line).isEqualTo("2024-03-25T15:17:23.783539Z [warning  ] Short."
                + " ".repeat(25) + "prefixes=[203.0.113.53/32, 2001:db8::53/128] healthy=false" + System.lineSeparator());
    }

    @Test
    void putsTheStackTraceOnTheFollowingLines() {
        String text = new HumanLayout(false).doLayout(LogEvents.event(Level.ERROR, "Failed.", new IllegalStateException("boom")));

        assertThat(text.lines().toList().get(0)).isEqualTo("2024-03-25T15:17:23.783539Z [error    ] Failed.");
        assertThat(text.lines().toList().get(1)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(text.lines().toList().get(2)).startsWith("\tat dev.anycastd.daemon.logging.HumanLayoutTest");
    }

    @Test
    void coloursOnlyWhenAsked() {
        String line = new HumanLayout(true).doLayout(LogEvents.event(Level.INFO, "Hello.", null, "service", "dns"));

        assertThat(line).contains("\u001b[32minfo     \u001b[0m", "\u001b[36mservice\u001b[0m=\u001b[35mdns\u001b[0m");
        assertThat(line.replaceAll("\u001b\\[[0-9;]*m", ""))
                .isEqualTo(new HumanLayout(false).doLayout(LogEvents.event(Level.INFO, "Hello.", null, "service", "dns")));
    }
}
