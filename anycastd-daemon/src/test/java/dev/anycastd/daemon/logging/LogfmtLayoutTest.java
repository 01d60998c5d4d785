package dev.anycastd.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogfmtLayoutTest {

    @Test
    void writesOneLineOfKeyValuesQuotingWhatNeedsIt() {
        String line = new LogfmtLayout().doLayout(LogEvents.event(Level.INFO,
                "Service \"dns\" terminated.", null, "service", "dns", "config_path", Path.of("/etc/anycastd/config.toml"),
                "prefixes", List.of("203.0.113.53/32", "2001:db8::53/128"), "reason", "", "healthy", false));

        assertThat(line).isEqualTo("timestamp=2024-03-25T15:17:23.783539Z level=info logger=dev.anycastd.daemon.RunCommand"
                + " message=\"Service \\\"dns\\\" terminated.\" service=dns config_path=/etc/anycastd/config.toml"
                + " prefixes=203.0.113.53/32,2001:db8::53/128 reason=\"\" healthy=false" + System.lineSeparator());
    }

    @Test
    void escapesLineBreaksSoAnEventStaysOnOneLine() {
        String line = new LogfmtLayout().doLayout(LogEvents.event(Level.ERROR, "Failed.", new IllegalStateException("boom"),
                "stderr", "line one\nline two\t\"quoted\" a=b"));

        assertThat(line.lines()).hasSize(1);
        assertThat(line).startsWith("timestamp=2024-03-25T15:17:23.783539Z level=error ")
                .contains(" stderr=\"line one\\nline two\\t\\\"quoted\\\" a=b\"")
                .contains(" exception=\"java.lang.IllegalStateException: boom\\n\\tat ");
    }
}
