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

/** What the http provider accepts and how it reports what it does not. */
class HttpCheckProviderTest {

    private static final String PATH = "services.web.checks.http[0]";
    private static final String URL_HINT = "; use http://HOST:PORT/PATH or https://HOST:PORT/PATH, e.g. \"http://127.0.0.1:8080/health\"";

    private static HealthCheck create(Map<String, Object> options) throws ConfigurationException {
        return new HttpCheckProvider().create(Options.of(PATH, options));
    }

    @Test
    void theUrlAloneIsEnough() throws ConfigurationException {
        HealthCheck check = create(Map.of("url", "http://127.0.0.1:8080/health"));

        assertThat(check.name()).isEqualTo("http://127.0.0.1:8080/health");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(new HttpCheckProvider().requiredOptions()).containsExactly("url");
    }

    static Stream<Arguments> wrongOptions() {
        String url = "http://127.0.0.1:8080/health";
        return Stream.of(
                Arguments.of(Map.of("url", "localhost:8080"), PATH + ".url: \"localhost:8080\" is not an http or https URL" + URL_HINT),
                Arguments.of(Map.of("url", "ftp://127.0.0.1/"), PATH + ".url: \"ftp://127.0.0.1/\" is not an http or https URL" + URL_HINT),
                Arguments.of(Map.of("url", "http://user:secret@127.0.0.1/"), PATH + ".url: the URL must not carry credentials" + URL_HINT),
                Arguments.of(Map.of("url", url, "method", "POST"),
                        PATH + ".method: \"POST\" is not a method a check sends; use \"GET\" or \"HEAD\""),
                Arguments.of(Map.of("url", url, "method", "HEAD", "body-contains", "ok"),
                        PATH + ".body-contains: is used only with method \"GET\": a HEAD answer has no body; remove one of them"),
                Arguments.of(Map.of("url", url, "expected-status", List.of(200L, "600")),
                        PATH + ".expected-status: \"600\" is not a status or range; give codes and ranges from 100 to 599, e.g. "
                                + "[200, 204] or [\"200-299\"]"),
                Arguments.of(Map.of("url", url, "expected-status", List.of("299-200")),
                        PATH + ".expected-status: \"299-200\" ends before it starts; give codes and ranges from 100 to 599, e.g. "
                                + "[200, 204] or [\"200-299\"]"),
                Arguments.of(Map.of("url", url, "ca-file", "/etc/ssl/ca.pem"),
                        PATH + ".ca-file: is used only for https, but url \"" + url + "\" is http; use an https url or remove ca-file"),
                Arguments.of(Map.of("url", url, "interval", "100ms", "timeout", "1s"),
                        PATH + ".timeout: \"1s\" is longer than the interval (100ms); a run must end before the next is due, so use "
                                + "at most the interval"));
    }

    @ParameterizedTest
    @MethodSource("wrongOptions")
    void aWrongOptionIsAnErrorNamingItsKeyPath(Map<String, Object> options, String message) {
        assertThatThrownBy(() -> create(options)).isInstanceOf(ConfigurationException.class).hasMessage(message);
    }

    @Test
    void aCaFileThatIsNotPemIsAnError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        java.nio.file.Path notPem = java.nio.file.Files.writeString(directory.resolve("ca.pem"), "not a certificate");

        assertThatThrownBy(() -> create(Map.of("url", "https://127.0.0.1:8443/", "ca-file", notPem.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(PATH + ".ca-file: \"" + notPem + "\" ")
                .hasMessageEndingWith("; give the CA certificate that signed the server's, in PEM");
    }
}
