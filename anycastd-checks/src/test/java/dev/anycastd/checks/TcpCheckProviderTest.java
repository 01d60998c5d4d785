package dev.anycastd.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What the tcp provider accepts and how it reports what it does not. */
class TcpCheckProviderTest {

    private static final String PATH = "services.dns.checks.tcp[0]";

    private static HealthCheck create(Map<String, Object> options) throws ConfigurationException {
        return new TcpCheckProvider().create(Options.of(PATH, options));
    }

    @Test
    void theAddressAloneIsEnoughAndTheDefaultsApply() throws ConfigurationException {
        HealthCheck check = create(Map.of("address", "127.0.0.1:53"));

        assertThat(check.name()).isEqualTo("127.0.0.1:53");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(new TcpCheckProvider().requiredOptions()).containsExactly("address");
    }

    @Test
    void aHundredMillisecondIntervalIsAccepted() throws ConfigurationException {
        HealthCheck check = create(Map.of("address", "127.0.0.1:53", "interval", "100ms"));

        assertThat(check.interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(check.timeout()).isEqualTo(Duration.ofMillis(80));
    }

    static Stream<Arguments> wrongOptions() {
        String hint = "; use HOST:PORT, e.g. \"127.0.0.1:53\", \"[::1]:53\" or \"localhost:8080\"";
        return Stream.of(
                Arguments.of(Map.of("address", "127.0.0.1"), PATH + ".address: \"127.0.0.1\" has no port" + hint),
                Arguments.of(Map.of("address", "127.0.0.1:0"), PATH + ".address: \"127.0.0.1:0\" has no port from 1 to 65535" + hint),
                Arguments.of(Map.of("address", "127.0.0.1:65536"),
                        PATH + ".address: \"127.0.0.1:65536\" has no port from 1 to 65535" + hint),
                Arguments.of(Map.of("address", "::1:53"), PATH + ".address: \"::1:53\" has an IPv6 address without brackets" + hint),
                Arguments.of(Map.of("address", "[nope]:53"), PATH + ".address: \"[nope]:53\" has no IPv6 address in its brackets" + hint),
                Arguments.of(Map.of("address", "a b:53"),
                        PATH + ".address: \"a b:53\" does not start with an IP address or host name" + hint),
                Arguments.of(Map.of("address", "127.0.0.1:53", "interval", "50ms"),
                        PATH + ".interval: \"50ms\" is shorter than 100ms, the shortest interval; use 100ms or more"),
                Arguments.of(Map.of("address", "127.0.0.1:53", "interval", "1s", "timeout", "2s"),
                        PATH + ".timeout: \"2s\" is longer than the interval (1s); a run must end before the next is due, so use at "
                                + "most the interval"));
    }

    @ParameterizedTest
    @MethodSource("wrongOptions")
    void aWrongOptionIsAnErrorNamingItsKeyPath(Map<String, Object> options, String message) {
        assertThatThrownBy(() -> create(options)).isInstanceOf(ConfigurationException.class).hasMessage(message);
    }

    @Test
    void everyWrongOptionIsReportedAtOnce() {
        assertThatThrownBy(() -> create(Map.of("address", "x", "interval", "1ms", "nmae", "dns")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(PATH + ".nmae: unknown option \"nmae\" (did you mean \"name\"?)")
                .hasMessageContaining(PATH + ".address:")
                .hasMessageContaining(PATH + ".interval:");
    }
}
