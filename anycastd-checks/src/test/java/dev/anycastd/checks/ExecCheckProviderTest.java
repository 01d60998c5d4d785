package dev.anycastd.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the exec provider accepts (the option names of the example it was promoted from) and how it reports the rest. */
class ExecCheckProviderTest {

    private static final String PATH = "services.dns.checks.exec[0]";

    private static HealthCheck create(Map<String, Object> options) throws ConfigurationException {
        return new ExecCheckProvider().create(Options.of(PATH, options));
    }

    @Test
    void theCommandAloneIsEnough() throws ConfigurationException {
        HealthCheck check = create(Map.of("command", "/usr/local/bin/check-dns"));

        assertThat(check.name()).isEqualTo("check-dns");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.describe()).isEqualTo("exec check-dns running /usr/local/bin/check-dns");
        assertThat(new ExecCheckProvider().requiredOptions()).containsExactly("command");
    }

    static Stream<Arguments> wrongOptions() {
        return Stream.of(
                Arguments.of(Map.of("command", "check-dns"),
                        PATH + ".command: \"check-dns\" is not an absolute path; give the full path of the program"),
                Arguments.of(Map.of("command", "/bin/true", "arguments", "-v"), PATH + ".arguments: expected a list of texts, got text \"-v\""),
                Arguments.of(Map.of("command", "/bin/true", "environment", "LANG=C"),
                        PATH + ".environment: expected a table of texts, e.g. { LANG = \"C\" }, got text \"LANG=C\""),
                Arguments.of(Map.of("command", "/bin/true", "environment", Map.of("1X", "a")),
                        PATH + ".environment: \"1X\" is not a variable name; use letters, digits and '_', not starting with a digit"),
                Arguments.of(Map.of("command", "/bin/true", "environment", Map.of("TRIES", 3L)),
                        PATH + ".environment: the value of TRIES is not text without NUL; got integer 3"),
                Arguments.of(Map.of("command", "/bin/true", "working-directory", "relative"),
                        PATH + ".working-directory: \"relative\" is not an absolute path; give the full path"),
                Arguments.of(Map.of("command", "/bin/true", "working-directory", "/no/such/directory"),
                        PATH + ".working-directory: \"/no/such/directory\" is not a directory; create it or fix the path"),
                Arguments.of(Map.of("command", "/bin/true", "interval", "1s", "timeout", "1.5s"),
                        PATH + ".timeout: \"1.5s\" is longer than the interval (1s); a run must end before the next is due, so use at "
                                + "most the interval"));
    }

    @ParameterizedTest
    @MethodSource("wrongOptions")
    void aWrongOptionIsAnErrorNamingItsKeyPath(Map<String, Object> options, String message) {
        assertThatThrownBy(() -> create(options)).isInstanceOf(ConfigurationException.class).hasMessage(message);
    }

    @Test
    void argumentsAreKeptAsWritten() throws ConfigurationException {
        HealthCheck check = create(Map.of("command", "/usr/bin/dig", "arguments", List.of("@127.0.0.1", "check local")));

        assertThat(check.describe()).isEqualTo("exec dig running /usr/bin/dig @127.0.0.1 check local");
    }
}
