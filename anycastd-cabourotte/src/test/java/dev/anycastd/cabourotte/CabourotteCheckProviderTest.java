package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Providers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CabourotteCheckProviderTest {

    private static final String PATH = "services.dns.checks.cabourotte[0]";

    private final CabourotteCheckProvider provider = new CabourotteCheckProvider();

    @Test
    void isFoundByServiceLoaderAsTypeCabourotte() throws Exception {
        Providers providers = Providers.load(getClass().getClassLoader());

        HealthCheckProvider found = providers.checkProvider("cabourotte", "services.dns.checks.cabourotte", Location.UNKNOWN);

        assertThat(found).isInstanceOf(CabourotteCheckProvider.class);
        assertThat(found.requiredOptions()).containsExactly("name");
    }

    @Test
    void defaultsToTheOriginalsUrlAndInterval() throws Exception {
        CabourotteCheck check = create(Map.of("name", "dns"));

        assertThat(check.name()).isEqualTo("dns");
        assertThat(check.client().url()).isEqualTo(URI.create("http://127.0.0.1:9013"));
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(check.maxAge()).isNull();
    }

    @ParameterizedTest(name = "interval {0} gives timeout {1}")
    @CsvSource({"1, PT0.8S", "0.5, PT0.4S", "0.1, PT0.08S", "100ms, PT0.08S", "500ms, PT0.4S", "2s, PT1.6S", "1m, PT10S", "PT5S, PT4S"})
    void acceptsTheIntervalAsSecondsOrTextAndDefaultsTheTimeoutBelowIt(String interval, String timeout) throws Exception {
        Object value = interval.matches("[0-9]+") ? (Object) Long.valueOf(interval)
                : interval.matches("[0-9.]+") ? (Object) Double.valueOf(interval) : interval;

        CabourotteCheck check = create(Map.of("name", "dns", "interval", value));

        assertThat(check.requestTimeout()).isEqualTo(Duration.parse(timeout));
        assertThat(check.requestTimeout()).isLessThan(check.interval());
    }

    @Test
    void takesEveryOptionGiven(@TempDir Path directory) throws Exception {
        Path password = Files.writeString(directory.resolve("password"), "pw\r\n");
        CabourotteCheck check = create(Map.of("name", "dns", "url", "HTTP://cabourotte.example:9013/api/", "interval", 2,
                "timeout", "1500ms", "max-age", "30s", "username", "anycastd", "password-file", password.toString()));

        assertThat(check.client().url()).isEqualTo(URI.create("http://cabourotte.example:9013/api"));
        assertThat(check.client().resultUri("dns")).isEqualTo(URI.create("http://cabourotte.example:9013/api/result/dns"));
        assertThat(check.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(check.maxAge()).isEqualTo(Duration.ofSeconds(30));
    }

    private static final String URL_HINT = "; use http://HOST:PORT or https://HOST:PORT, e.g. http://127.0.0.1:9013";
    private static final String DURATION_HINT = "; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)";

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of("url", "ftp://127.0.0.1:9013", "url: \"ftp://127.0.0.1:9013\" is not an http or https URL" + URL_HINT),
                Arguments.of("url", "localhost:9013", "url: \"localhost:9013\" is not an http or https URL" + URL_HINT),
                Arguments.of("url", "127.0.0.1:9013", "url: \"127.0.0.1:9013\" is not a URL (Illegal character in scheme name)"
                        + URL_HINT),
                Arguments.of("url", "http://[::1", "url: \"http://[::1\" is not a URL (Expected closing bracket for IPv6 address)"
                        + URL_HINT),
                Arguments.of("url", "http:///result", "url: \"http:///result\" has no host" + URL_HINT),
                Arguments.of("url", "http://127.0.0.1:9013/?a=b", "url: \"http://127.0.0.1:9013/?a=b\" has a query or fragment; "
                        + "give only the base URL of Cabourotte's API" + URL_HINT),
                Arguments.of("url", 9013L, "url: expected text, got integer 9013"),
                Arguments.of("interval", "soon", "interval: \"soon\" is not a duration" + DURATION_HINT),
                Arguments.of("interval", "PT2562047788015215H",
                        "interval: \"PT2562047788015215H\" is out of range; at most a year"),
                Arguments.of("interval", 0.000001, "interval: \"0.000001\" is shorter than 100ms, the shortest interval; "
                        + "use 100ms or more"),
                Arguments.of("interval", "99ms", "interval: \"99ms\" is shorter than 100ms, the shortest interval; "
                        + "use 100ms or more"),
                Arguments.of("interval", "PT10000000000000H", "interval: \"PT10000000000000H\" is out of range; at most a year"),
                Arguments.of("timeout", "6s", "timeout: 6 s is longer than the interval (5 s); a read must end before the next is due, "
                        + "so use at most the interval"),
                Arguments.of("max-age", 0L, "max-age: \"0\" is not a positive duration" + DURATION_HINT),
                Arguments.of("name", "", "name: \"\" is not a check name; give the name Cabourotte knows the check by, "
                        + "without control characters"),
                Arguments.of("name", List.of("dns"), "name: expected text, got a list"),
                Arguments.of("ca-file", "/etc/ssl/ca.pem", "ca-file: is used only for https, but url \"http://127.0.0.1:9013\" is "
                        + "http; use an https url or remove ca-file"),
                Arguments.of("push-listen", "192.0.2.1:9014", "push-listen: \"192.0.2.1:9014\" is not a loopback address; pushes "
                        + "are received from this host only, so run Cabourotte here and use a loopback address and port, e.g. "
                        + "\"127.0.0.1:9014\" or \"[::1]:9014\""),
                Arguments.of("push-listen", "0.0.0.0:9014", "push-listen: \"0.0.0.0:9014\" is not a loopback address; pushes "
                        + "are received from this host only, so run Cabourotte here and use a loopback address and port, e.g. "
                        + "\"127.0.0.1:9014\" or \"[::1]:9014\""),
                Arguments.of("push-listen", "localhost:9014", "push-listen: \"localhost:9014\" does not start with an IP address"
                        + LISTEN_HINT),
                Arguments.of("push-listen", "127.0.0.1", "push-listen: \"127.0.0.1\" has no port" + LISTEN_HINT),
                Arguments.of("push-listen", "127.0.0.1:0", "push-listen: \"127.0.0.1:0\" has no port from 1 to 65535" + LISTEN_HINT),
                Arguments.of("push-listen", "127.0.0.1:65536", "push-listen: \"127.0.0.1:65536\" has no port from 1 to 65535"
                        + LISTEN_HINT),
                Arguments.of("push-listen", "::1:9014", "push-listen: \"::1:9014\" has an IPv6 address without brackets"
                        + LISTEN_HINT),
                Arguments.of("push-listen", "127.0.0.0/8:9014", "push-listen: \"127.0.0.0/8:9014\" does not start with an IP "
                        + "address" + LISTEN_HINT),
                Arguments.of("push-listen", 9014L, "push-listen: expected text, got integer 9014"));
    }

    private static final String LISTEN_HINT = "; use a loopback address and port, e.g. \"127.0.0.1:9014\" or \"[::1]:9014\"";
    private static final String PATH_HINT = "; use '/' and segments of letters, digits, '-', '_', '.', '~', e.g. "
            + "\"/anycastd/cabourotte\"";

    @ParameterizedTest(name = "push-path = {0}")
    @CsvSource({"anycastd", "/anycastd/", "/a//b", "/a/../b", "/a/./b", "/a?b", "/a b", "''"})
    void rejectsAPushPathThatIsNotAPlainPath(String path) {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-path", path)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".push-path: \"" + path + "\" is not a path" + PATH_HINT);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongValues")
    void namesTheOptionAndWhatIsExpectedWhenAValueIsWrong(String key, Object value, String message) {
        Map<String, Object> options = new HashMap<>(Map.of("name", "dns"));
        options.put(key, value);

        assertThatThrownBy(() -> create(options)).isInstanceOf(ConfigurationException.class).hasMessage(PATH + "." + message);
    }

    @Test
    void reportsEveryWrongOptionAtOnceAndBuildsNothing() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "interval", 0.000001, "timeout", "abc", "max-age", List.of(1L),
                "push-listen", "localhost:9014", "push-path", "push", "intervall", 1L)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .extracting(ConfigurationException.Problem::keyPath)
                        .containsExactlyInAnyOrder(PATH + ".intervall", PATH + ".interval", PATH + ".timeout", PATH + ".max-age",
                                PATH + ".push-listen", PATH + ".push-path"))
                .hasMessageContaining(PATH + ".interval: \"0.000001\" is shorter than 100ms")
                .hasMessageContaining(PATH + ".timeout: \"abc\" is not a duration")
                .hasMessageContaining(PATH + ".max-age: expected a duration, got a list");
        assertThat(provider.clientCount()).isZero();
        assertThat(provider.receiverCount()).isZero();
    }

    @Test
    void checksTheTimeoutAgainstTheIntervalOnlyWhenTheIntervalIsRight() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "interval", "soon", "timeout", "1h")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .extracting(ConfigurationException.Problem::keyPath).containsExactly(PATH + ".interval"));
    }

    @Test
    void rejectsAnUnknownOptionSuggestingTheClosest() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "intervall", 5)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".intervall: unknown option \"intervall\" (did you mean \"interval\"?); known: ca-file, interval, "
                        + "max-age, name, password, password-file, push-listen, push-path, push-secret, push-secret-file, read-all, "
                        + "timeout, url, username");
    }

    @Test
    void requiresTheName() {
        assertThatThrownBy(() -> create(Map.of("url", "http://127.0.0.1:9013")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".name: required option \"name\" is missing");
    }

    @Test
    void rejectsAControlCharacterInTheName() {
        assertThatThrownBy(() -> create(Map.of("name", "dns\nINFO forged")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".name: \"dns\\nINFO forged\" is not a check name; give the name Cabourotte knows the check "
                        + "by, without control characters");
    }

    @Test
    void rejectsCredentialsInTheUrlWithoutRepeatingThem() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "url", "http://anycastd:s3cr3t@127.0.0.1:9013")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".url: the URL must not carry credentials; give them with username and password-file");
    }

    @Test
    void requiresUsernameAndPasswordTogether() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "anycastd")))
                .hasMessage(PATH + ".username: is given without password or password-file; add one of them");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "password", "s3cr3t")))
                .hasMessage(PATH + ".password: a password is given without username; add username");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "a", "password", "s3cr3t", "password-file", "/p")))
                .hasMessage(PATH + ".password-file: both password and password-file are given; keep one of them");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "a:b", "password", "s3cr3t")))
                .hasMessage(PATH + ".username: \"a:b\" cannot be sent with HTTP basic auth; use a name without ':' or control characters");
    }

    @Test
    void neverQuotesAPasswordInAnError() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "anycastd", "password", 123456789L)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".password: expected text (the value is not shown)")
                .message().doesNotContain("123456789");
    }

    @Test
    void saysWhyAPasswordFileCannotBeUsed(@TempDir Path directory) throws Exception {
        Path missing = directory.resolve("missing");
        Path empty = Files.writeString(directory.resolve("empty"), "\n");

        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "a", "password-file", missing.toString())))
                .hasMessage(PATH + ".password-file: cannot read \"" + missing + "\" (NoSuchFileException); "
                        + "make it readable by the user anycastd runs as");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "username", "a", "password-file", empty.toString())))
                .hasMessage(PATH + ".password-file: \"" + empty + "\" is empty; put the password in it");
    }

    @Test
    void saysWhyACaFileCannotBeUsed(@TempDir Path directory) throws Exception {
        Path notPem = Files.writeString(directory.resolve("ca.pem"), "not a certificate\n");
        Path missing = directory.resolve("missing.pem");

        assertThatThrownBy(() -> create(Map.of("name", "dns", "url", "https://127.0.0.1:9013", "ca-file", notPem.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(PATH + ".ca-file: \"" + notPem + "\" ")
                .hasMessageEndingWith("; give the CA certificate that signed the server's, in PEM");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "url", "https://127.0.0.1:9013", "ca-file", missing.toString())))
                .hasMessage(PATH + ".ca-file: cannot read \"" + missing + "\" (NoSuchFileException); "
                        + "make it readable by the user anycastd runs as");
    }

    @Test
    void takesThePushOptions(@TempDir Path directory) throws Exception {
        Path secret = Files.writeString(directory.resolve("secret"), "s3cr3t\n");

        CabourotteCheck defaults = create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014"));
        CabourotteCheck v6 = create(Map.of("name", "dns", "push-listen", "[::1]:9014", "push-path", "/push",
                "push-secret-file", secret.toString()));
        CabourotteCheck none = create(Map.of("name", "dns"));

        assertThat(defaults.push()).hasToString("http://127.0.0.1:9014/anycastd/cabourotte");
        assertThat(v6.push()).hasToString("http://[::1]:9014/push");
        assertThat(none.push()).isNull();
        assertThat(defaults.push().receiver().listening()).as("opened only when the runtime subscribes").isFalse();
    }

    @Test
    void listsItsSettingsForCheckConfigWithoutTheSecret() throws Exception {
        CabourotteCheck defaults = create(Map.of("name", "dns"));
        CabourotteCheck all = create(Map.of("name", "dns", "interval", 1L, "timeout", 1L, "max-age", "30s",
                "push-listen", "[::1]:9014", "push-secret", "s3cr3t"));
        CabourotteCheck withoutSecret = create(Map.of("name", "ntp", "interval", "100ms", "push-listen", "127.0.0.1:9014",
                "push-path", "/push"));

        assertThat(defaults.settings()).containsExactly("timeout 4s");
        assertThat(all.settings()).containsExactly("timeout 1s", "max-age 30s", "push-listen [::1]:9014",
                "push-path /anycastd/cabourotte", "push-secret set");
        assertThat(String.join(" ", all.settings())).doesNotContain("s3cr3t");
        assertThat(withoutSecret.settings()).containsExactly("timeout 80ms", "push-listen 127.0.0.1:9014", "push-path /push",
                "no push-secret");
    }

    @Test
    void rejectsPushOptionsWithoutPushListen() {
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-path", "/push")))
                .hasMessage(PATH + ".push-path: is used only with push-listen; add push-listen = \"127.0.0.1:9014\" or remove push-path");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-secret", "s3cr3t")))
                .hasMessage(PATH + ".push-secret: is used only with push-listen; add push-listen = \"127.0.0.1:9014\" or remove "
                        + "push-secret");
    }

    @Test
    void rejectsAnotherSecretForAListenAddressAndPathAlreadyConfigured() throws Exception {
        create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-secret", "s3cr3t"));
        create(Map.of("name", "ntp", "push-listen", "127.0.0.1:9014", "push-secret", "s3cr3t"));
        create(Map.of("name", "ntp", "push-listen", "127.0.0.1:9014", "push-path", "/other"));

        assertThatThrownBy(() -> create(Map.of("name", "ntp", "push-listen", "127.0.0.1:9014", "push-secret", "0ther")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(PATH + ".push-secret: another check receives pushes at http://127.0.0.1:9014/anycastd/cabourotte with "
                        + "another secret; checks that share push-listen and push-path must give the same push-secret (or none), "
                        + "or use another push-path")
                .message().doesNotContain("s3cr3t").doesNotContain("0ther");
        assertThatThrownBy(() -> create(Map.of("name", "ntp", "push-listen", "127.0.0.1:9014")))
                .hasMessageStartingWith(PATH + ".push-secret: another check receives pushes at "
                        + "http://127.0.0.1:9014/anycastd/cabourotte with a secret; ");
        assertThat(provider.receiverCount()).isEqualTo(1);
    }

    @Test
    void neverQuotesAPushSecretInAnError(@TempDir Path directory) throws Exception {
        Path empty = Files.writeString(directory.resolve("empty"), "\n");

        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-secret", "s3\ncr3t")))
                .hasMessage(PATH + ".push-secret: the secret is empty or holds control characters (it is not shown); it is sent "
                        + "in an HTTP header, so use printable text");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-secret", 42L)))
                .hasMessage(PATH + ".push-secret: expected text (the value is not shown)");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-secret-file",
                empty.toString()))).hasMessage(PATH + ".push-secret-file: \"" + empty + "\" is empty; put the push secret in it");
        assertThatThrownBy(() -> create(Map.of("name", "dns", "push-listen", "127.0.0.1:9014", "push-secret", "a",
                "push-secret-file", empty.toString())))
                .hasMessage(PATH + ".push-secret-file: both push-secret and push-secret-file are given; keep one of them");
    }

    @Test
    void encodesNamesAsOnePathSegment() {
        assertThat(CabourotteClient.encodePathSegment("dns")).isEqualTo("dns");
        assertThat(CabourotteClient.encodePathSegment("my check/v4")).isEqualTo("my%20check%2Fv4");
        assertThat(CabourotteClient.encodePathSegment("a?b#c%d+é")).isEqualTo("a%3Fb%23c%25d%2B%C3%A9");
        assertThat(CabourotteClient.encodePathSegment("ntp_v4-1.~")).isEqualTo("ntp_v4-1.~");
        assertThat(List.of(CabourotteClient.encodePathSegment("."), CabourotteClient.encodePathSegment("..")))
                .containsExactly("%2E", "%2E%2E");
    }

    private CabourotteCheck create(Map<String, ?> options) throws ConfigurationException {
        return (CabourotteCheck) provider.create(Options.of(PATH, options));
    }
}
