package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import dev.anycastd.testkit.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final ManualScheduler time = new ManualScheduler();
    private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(ThrottledLogTest.class)::atLevel, WINDOW,
            time.clock());

    @Test
    void logsAProblemWhenItStartsAndNotAgainWithinTheWindow() {
        for (int i = 0; i < 1000; i++) {
            log.occurred(problem("404 path", "Rejecting with 404 #" + i));
            time.advance(Duration.ofMillis(10));
        }

        assertThat(lines()).containsExactly(tuple(Level.WARN, "Rejecting with 404 #0"));
        assertThat(logs.events().get(0).getKeyValuePairs()).extracting(pair -> pair.key + "=" + pair.value)
                .containsExactly("problem=404 path", "listen=http://127.0.0.1:9014");
    }

    @Test
    void logsARepeatingProblemAtMostOncePerWindowWithHowManyTimesItHappened() {
        log.occurred(problem("404 path", "first"));
        for (int i = 0; i < 40; i++) {
            time.advance(Duration.ofSeconds(1));
            log.occurred(problem("404 path", "at " + (i + 1) + " s"));
        }

        assertThat(lines()).containsExactly(tuple(Level.WARN, "first"),
                tuple(Level.WARN, "at 30 s (30 times in the last 30 s; a repeating problem is logged at most every 30 s.)"));
        assertThat(LogCapture.value(logs.events().get(1), "occurrences")).isEqualTo(30L);
    }

    @Test
    void logsEachProblemOnItsOwnSoAlternatingProblemsWriteOneLineEach() {
        for (int i = 0; i < 500; i++) {
            log.occurred(problem("404 path", "404"));
            log.occurred(problem("405 method", "405"));
        }

        assertThat(lines()).containsExactly(tuple(Level.WARN, "404"), tuple(Level.WARN, "405"));
    }

    @Test
    void logsTheEndOfAProblemOnceItHasNotHappenedForAWindow() {
        log.occurred(problem("401 secret", "wrong secret"));
        log.occurred(problem("401 secret", "wrong secret"));
        log.occurred(problem("401 secret", "wrong secret"));
        time.advance(WINDOW.minusMillis(1));
        log.sweep();
        assertThat(lines()).hasSize(1);

        time.advance(Duration.ofMillis(1));
        log.sweep();
        log.sweep();

        assertThat(lines()).containsExactly(tuple(Level.WARN, "wrong secret"), tuple(Level.INFO, "no longer, after 3 times"));
        assertThat(LogCapture.value(logs.events().get(1), "occurrences")).isEqualTo(3L);
    }

    @Test
    void noticesAnEndedProblemWhenAnotherHappens() {
        log.occurred(problem("401 secret", "wrong secret"));
        time.advance(WINDOW);

        log.occurred(problem("404 path", "wrong path"));
        log.occurred(problem("401 secret", "wrong secret again"));

        assertThat(lines()).as("a problem that comes back after a quiet window starts again")
                .containsExactly(tuple(Level.WARN, "wrong secret"), tuple(Level.INFO, "no longer, after 1 times"),
                        tuple(Level.WARN, "wrong path"), tuple(Level.WARN, "wrong secret again"));
    }

    @Test
    void logsTheCauseWithTheFirstLineOnly() {
        IllegalStateException cause = new IllegalStateException("consumer failed");
        for (int i = 0; i < 3; i++) {
            log.occurred(new ThrottledLog.Problem("500 failed", org.slf4j.event.Level.ERROR, "Delivering failed", Map.of(), cause,
                    total -> "Delivering works again"));
            time.advance(Duration.ofSeconds(20));
        }

        assertThat(logs.events()).extracting(event -> event.getFormattedMessage().startsWith("Delivering failed (2 times"))
                .containsExactly(false, true);
        assertThat(logs.events()).extracting(event -> event.getThrowableProxy() != null).containsExactly(true, false);
    }

    private static ThrottledLog.Problem problem(String key, String message) {
        return new ThrottledLog.Problem(key, org.slf4j.event.Level.WARN, message, Map.of("listen", "http://127.0.0.1:9014"), null,
                total -> "no longer, after " + total + " times");
    }

    private List<org.assertj.core.groups.Tuple> lines() {
        return logs.events().stream().map(event -> tuple(event.getLevel(), event.getFormattedMessage())).toList();
    }
}
