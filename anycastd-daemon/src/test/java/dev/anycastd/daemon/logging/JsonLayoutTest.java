package dev.anycastd.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneObjectPerLineWithEachKeyValueAsAField() {
        String line = new JsonLayout().doLayout(LogEvents.event(Level.INFO,
                "Service \"dns\" is now considered healthy, announcing related prefixes.", null,
                "service", "dns", "prefixes", List.of("203.0.113.53/32"), "healthy", true, "retry_in", 250L));

        assertThat(line).isEqualTo("{\"timestamp\":\"2024-03-25T15:17:23.783539Z\",\"level\":\"info\","
                + "\"logger\":\"dev.anycastd.daemon.RunCommand\","
                + "\"message\":\"Service \\\"dns\\\" is now considered healthy, announcing related prefixes.\","
                + "\"service\":\"dns\",\"prefixes\":[\"203.0.113.53/32\"],\"healthy\":true,\"retry_in\":250}"
                + System.lineSeparator());
    }

    @Test
    void keepsAKeyValueNamedLikeAFixedFieldUnderAnotherName() throws Exception {
        JsonNode json = JSON.readTree(new JsonLayout().doLayout(LogEvents.event(Level.WARN, "Hello.", null, "message", "mine")));

        assertThat(json.get("message").asText()).isEqualTo("Hello.");
        assertThat(json.get("message_").asText()).isEqualTo("mine");
        assertThat(json.get("level").asText()).isEqualTo("warning");
    }

    @Test
    void carriesTheStackTraceAsAField() throws Exception {
        String line = new JsonLayout().doLayout(LogEvents.event(Level.ERROR, "Failed.", new IllegalStateException("boom")));

        assertThat(line.lines()).hasSize(1);
        assertThat(JSON.readTree(line).get("exception").asText())
                .startsWith("java.lang.IllegalStateException: boom" + System.lineSeparator() + "\tat ");
    }
}
