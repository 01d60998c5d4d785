package dev.anycastd.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.IpPrefix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {

    private static final String PATH = "services.ntp.prefixes.frrouting[0]";

    private static Options options(Map<String, ?> values) {
        Path file = Path.of("/etc/anycastd/config.toml");
        return Options.of(PATH, new Location(file, 7, 5), values, key -> new Location(file, 8, 7));
    }

    @Test
    void givesTypedValuesAndDefaults() throws ConfigurationException {
        Options options = options(Map.of("prefix", "203.0.113.123", "vrf", "123", "count", 3L, "on", true,
                "names", List.of("a", "b")));

        assertThat(options.getPrefix("prefix")).isEqualTo(IpPrefix.parse("203.0.113.123/32"));
        assertThat(options.getString("vrf")).isEqualTo("123");
        assertThat(options.getString("vtysh", "/usr/bin/vtysh")).isEqualTo("/usr/bin/vtysh");
        assertThat(options.getInt("count", 1)).isEqualTo(3);
        assertThat(options.getInt("other", 1)).isEqualTo(1);
        assertThat(options.getBoolean("on", false)).isTrue();
        assertThat(options.getStringList("names", List.of())).containsExactly("a", "b");
        assertThat(options.getPath("vtysh", Path.of("/usr/bin/vtysh"))).isEqualTo(Path.of("/usr/bin/vtysh"));
        assertThat(options.path()).isEqualTo(PATH);
    }

    @ParameterizedTest
    @CsvSource({"1,1000", "0.5,500", "500ms,500", "2s,2000", "1.5s,1500", "1m,60000", "1h,3600000", "PT5S,5000", "5,5000"})
    void readsDurationsAsSecondsOrText(String text, long millis) throws ConfigurationException {
        Object value = text.matches("[0-9]+") ? (Object) Long.parseLong(text)
                : text.matches("[0-9.]+") ? (Object) Double.parseDouble(text) : text;

        assertThat(options(Map.of("interval", value)).getDuration("interval", Duration.ZERO))
                .isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1s", "0", "PT-5S", "1.5ms", "5 minutes"})
    void rejectsDurationsThatAreNotPositiveDurations(String text) {
        assertThatThrownBy(() -> options(Map.of("interval", text)).getDuration("interval", Duration.ofSeconds(5)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("/etc/anycastd/config.toml:8:7: " + PATH + ".interval: ");
    }

    private static final String DURATION_HINT = "; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)";

    @ParameterizedTest
    @ValueSource(strings = {"PT5S", "pt5s", "PT1.5S", "PT1,5S", "PT1.S", "P1D", "P1DT2H3M4.5S", "-PT-5S", "+PT0.000000001S",
        "PT1H-59M"})
    void readsIso8601DurationsAsTheJdkDoes(String text) throws ConfigurationException {
        assertThat(options(Map.of("interval", text)).getDuration("interval", Duration.ZERO)).isEqualTo(Duration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P", "PT", "P1DT", "PT5", "P1H"})
    void rejectsTextThatIsNotIso8601(String text) {
        assertThatThrownBy(() -> options(Map.of("interval", text)).getDuration("interval", Duration.ofSeconds(5)))
                .hasMessageEndingWith(".interval: \"" + text + "\" is not a duration" + DURATION_HINT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-0.5S", "-PT10000000000000000H", "-P106751991167301D", "PT-99999999999999999999S"})
    void rejectsANegativeIso8601DurationHoweverLarge(String text) {
        assertThatThrownBy(() -> options(Map.of("interval", text)).getDuration("interval", Duration.ofSeconds(5)))
                .hasMessageEndingWith(".interval: \"" + text + "\" is not a positive duration" + DURATION_HINT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"31622400", "31622400.0", "31622400s", "527040m", "8784h", "PT8784H", "P366D", "P365DT86400S"})
    void acceptsAYearInEveryForm(String text) throws ConfigurationException {
        assertThat(options(Map.of("interval", number(text))).getDuration("interval", Duration.ZERO))
                .isEqualTo(Duration.ofDays(366));
    }

    @ParameterizedTest
    @ValueSource(strings = {"31622401", "31622400.5", "31622401s", "31622400001ms", "527041m", "8785h", "PT8785H", "P367D",
        "PT10000000000000H", "PT2562047788015215H", "PT99999999999999999999H", "P106751991167301D", "PT9223372036854775807S"})
    void rejectsMoreThanAYearInEveryFormWithTheSameError(String text) {
        assertThatThrownBy(() -> options(Map.of("interval", number(text))).getDuration("interval", Duration.ofSeconds(5)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("/etc/anycastd/config.toml:8:7: " + PATH + ".interval: \"" + text
                        + "\" is out of range; at most a year");
    }

    @ParameterizedTest
    @CsvSource({"NaN, nan, is not a duration", "Infinity, inf, is not a duration", "-Infinity, -inf, is not a duration",
        "1e300, 1.0E300, is out of range; at most a year", "1e-12, 0.000000000001, is not a positive duration",
        "-0.5, -0.5, is not a positive duration", "-1e20, -1.0E20, is not a positive duration"})
    void rejectsNumbersThatAreNoDurationWithoutFailing(double number, String written, String problem) {
        assertThatThrownBy(() -> options(Map.of("interval", number)).getDuration("interval", Duration.ofSeconds(5)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("/etc/anycastd/config.toml:8:7: " + PATH + ".interval: \"" + written + "\" " + problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1", "100ms", "PT0.1S", "5"})
    void acceptsAnIntervalOfAtLeastAHundredMilliseconds(String text) throws ConfigurationException {
        assertThat(options(Map.of("interval", number(text))).getInterval("interval", Duration.ofSeconds(5)))
                .isGreaterThanOrEqualTo(Options.MIN_INTERVAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.000001", "0.099", "99ms", "1ms", "PT0.099999999S"})
    void rejectsAnIntervalShorterThanAHundredMillisecondsWhereItWasWritten(String text) {
        assertThatThrownBy(() -> options(Map.of("interval", number(text))).getInterval("interval", Duration.ofSeconds(5)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("/etc/anycastd/config.toml:8:7: " + PATH + ".interval: \"" + text
                        + "\" is shorter than 100ms, the shortest interval; use 100ms or more");
    }

    @Test
    void anIntervalNotGivenIsTheFallback() throws ConfigurationException {
        assertThat(options(Map.of()).getInterval("interval", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void formatsDurationsAsOperatorsWriteThem() throws ConfigurationException {
        assertThat(Options.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Options.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Options.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Options.format(Duration.ofMinutes(2))).isEqualTo("120s");
        assertThat(Options.format(Duration.ofNanos(1500))).isEqualTo("0.0000015s");
        for (Duration duration : List.of(Duration.ofMillis(80), Duration.ofNanos(1500), Duration.ofDays(366))) {
            assertThat(options(Map.of("interval", Options.format(duration))).getDuration("interval", Duration.ZERO))
                    .isEqualTo(duration);
        }
    }

    /** TOML's integer or float for text that is a number, else the text. */
    private static Object number(String text) {
        return text.matches("-?[0-9]+") ? (Object) Long.parseLong(text)
                : text.matches("-?[0-9.e]+") ? (Object) Double.parseDouble(text) : text;
    }

    @Test
    void rejectsANegativeNumberOfSeconds() {
        assertThatThrownBy(() -> options(Map.of("interval", -1L)).getDuration("interval", Duration.ofSeconds(5)))
                .hasMessageContaining(".interval: \"-1\" is not a positive duration");
    }

    @Test
    void wrongTypeNamesKeyPathLineAndWhatWasExpected() {
        assertThatThrownBy(() -> options(Map.of("vrf", 123L)).getString("vrf", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("/etc/anycastd/config.toml:8:7: services.ntp.prefixes.frrouting[0].vrf: expected text, got integer 123");
    }

    @Test
    void missingRequiredOptionPointsAtTheTable() {
        assertThatThrownBy(() -> options(Map.of()).getString("prefix"))
                .hasMessage("/etc/anycastd/config.toml:7:5: services.ntp.prefixes.frrouting[0].prefix: required option \"prefix\" is missing");
    }

    @Test
    void badPrefixQuotesTheValue() {
        assertThatThrownBy(() -> options(Map.of("prefix", "192.0.2.1/24")).getPrefix("prefix"))
                .hasMessageEndingWith(".prefix: \"192.0.2.1/24\" has host bits set; did you mean 192.0.2.0/24?");
    }

    @Test
    void unknownKeysAreRejectedWithTheClosestKnownName() {
        assertThatThrownBy(() -> options(Map.of("prefix", "192.0.2.1", "vfr", "x")).requireOnly("prefix", "vrf", "vtysh"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConfigurationException.Kind.INVALID);
                    assertThat(e.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.keyPath()).isEqualTo(PATH + ".vfr");
                        assertThat(problem.location().line()).isEqualTo(8);
                        assertThat(problem.message())
                                .isEqualTo("unknown option \"vfr\" (did you mean \"vrf\"?); known: prefix, vrf, vtysh");
                    });
                });
    }

    @Test
    void unknownKeyFarFromAnyKnownOneGetsNoSuggestion() {
        assertThatThrownBy(() -> options(Map.of("colour", "x")).requireOnly("prefix", "vrf"))
                .hasMessageEndingWith(".colour: unknown option \"colour\"; known: prefix, vrf");
    }

    @Test
    void keysThatNeedQuotingAreQuotedInThePath() {
        assertThat(Options.of("services.dns", Map.of()).pathOf("a b")).isEqualTo("services.dns.\"a b\"");
    }

    @Test
    void optionsBuiltInCodeHaveNoLocation() {
        assertThatThrownBy(() -> Options.of("x", Map.of("n", "a")).getInt("n", 0))
                .hasMessage("x.n: expected an integer, got text \"a\"");
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOne() {
        assertThat(Options.editDistance("vfr", "vrf")).isEqualTo(1);
        assertThat(Options.editDistance("intervall", "interval")).isEqualTo(1);
        assertThat(Options.editDistance("abc", "xyz")).isEqualTo(3);
    }
}
