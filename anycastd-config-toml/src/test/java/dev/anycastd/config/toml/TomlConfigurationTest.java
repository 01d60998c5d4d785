package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.WhenDown;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.core.spi.Providers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TomlConfigurationTest {

    /** The example of issue 5, which is the original anycastd's README example. */
    private static final String ISSUE_EXAMPLE = """
            [services.dns]
            prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]
            checks.cabourotte = ["dns"]

            [services.ntp]
            prefixes.frrouting = [
                { "prefix" = "2001:db8::123:7e11:713e", "vrf" = "123" },
                { "prefix" = "203.0.113.123", "vrf" = "123" },
            ]
            checks.cabourotte = [
                { "name" = "ntp_v6", "interval" = 1 },
                { "name" = "ntp_v4", "interval" = 1 },
            ]
            """;

    /** The example of ARCHITECTURE.md, comments included. */
    private static final String ARCHITECTURE_EXAMPLE = """
            [services.dns]
            prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]      # short form: the one required field
            checks.cabourotte = ["dns"]

            [services.ntp]
            prefixes.frrouting = [{ prefix = "203.0.113.123", vrf = "123" }]   # full form: a table per item
            checks.cabourotte = [{ name = "ntp_v4", interval = 1 }]
            """;

    private static final Path FILE = Path.of("/etc/anycastd/anycastd.toml");

    @TempDir
    Path directory;

    private RecordingPrefixProvider frrouting;
    private RecordingCheckProvider cabourotte;
    private ExecCheckProvider exec;
    private Providers providers;

    @BeforeEach
    void createProviders() throws ConfigurationException {
        frrouting = new RecordingPrefixProvider();
        cabourotte = new RecordingCheckProvider();
        exec = new ExecCheckProvider();
        providers = Providers.of(List.of(frrouting), List.of(cabourotte, exec));
    }

    @Test
    void loadsTheIssueExampleToExactlyTheExpectedServices() throws Exception {
        Path file = write("anycastd.toml", ISSUE_EXAMPLE);

        List<ServiceDefinition> services = TomlConfiguration.load(file, providers);

        assertThat(services).containsExactly(
                new ServiceDefinition("dns",
                        List.of(TestPrefix.of("2001:db8::b19:bad:53"), TestPrefix.of("203.0.113.53")),
                        List.of(TestCheck.named("dns")),
                        Policy.DEFAULT),
                new ServiceDefinition("ntp",
                        List.of(TestPrefix.of("2001:db8::123:7e11:713e", "123"), TestPrefix.of("203.0.113.123", "123")),
                        List.of(new TestCheck("ntp_v6", Duration.ofSeconds(1), TestCheck.DEFAULT_URL),
                                new TestCheck("ntp_v4", Duration.ofSeconds(1), TestCheck.DEFAULT_URL)),
                        Policy.DEFAULT));
    }

    @Test
    void loadsTheArchitectureExampleToExactlyTheExpectedServices() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse(ARCHITECTURE_EXAMPLE, FILE, providers);

        assertThat(services).containsExactly(
                new ServiceDefinition("dns",
                        List.of(TestPrefix.of("2001:db8::b19:bad:53"), TestPrefix.of("203.0.113.53")),
                        List.of(TestCheck.named("dns"))),
                new ServiceDefinition("ntp",
                        List.of(TestPrefix.of("203.0.113.123", "123")),
                        List.of(new TestCheck("ntp_v4", Duration.ofSeconds(1), TestCheck.DEFAULT_URL))));
    }

    @Test
    void arraysOfTablesMeanTheSameAsInlineArrays() throws Exception {
        String arraysOfTables = """
                [services.ntp]
                checks.cabourotte = [{ name = "ntp_v4", interval = 1 }]

                [[services.ntp.prefixes.frrouting]]
                prefix = "203.0.113.123"
                vrf = "123"
                """;
        String inline = """
                [services.ntp]
                prefixes.frrouting = [{ prefix = "203.0.113.123", vrf = "123" }]
                checks.cabourotte = [{ name = "ntp_v4", interval = 1 }]
                """;

        assertThat(TomlConfiguration.parse(arraysOfTables, FILE, providers))
                .isEqualTo(TomlConfiguration.parse(inline, FILE, providers))
                .hasSize(1);
    }

    @Test
    void theShortFormStandsForTheProvidersOneRequiredOption() throws Exception {
        TomlConfiguration.parse("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """, FILE, providers);

        Options prefix = frrouting.received().get(0);
        assertThat(prefix.path()).isEqualTo("services.dns.prefixes.frrouting[0]");
        assertThat(prefix.keys()).containsExactly("prefix");
        assertThat(prefix.get("prefix")).contains("203.0.113.53");
        assertThat(prefix.location()).isEqualTo(new Location(FILE, 2, 23));
        assertThat(cabourotte.received().get(0).keys()).containsExactly("name");
    }

    @Test
    void givesProvidersPlainJavaValuesWithTheLineAndColumnOfEachOption() throws Exception {
        TomlConfiguration.parse("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.exec = [
                    { name = "dig", command = ["dig", "@::1"], env = { tries = 3, ratio = 0.5, verbose = true } },
                ]
                """, FILE, providers);

        Options options = exec.received().get(0);
        assertThat(options.path()).isEqualTo("services.dns.checks.exec[0]");
        assertThat(options.location()).isEqualTo(new Location(FILE, 4, 5));
        assertThat(options.keys()).containsExactly("name", "command", "env");
        assertThat(options.get("command")).contains(List.of("dig", "@::1"));
        assertThat(options.get("env")).contains(Map.of("tries", 3L, "ratio", 0.5, "verbose", true));
        assertThat(options.error("env", "test").problems().get(0).location()).isEqualTo(new Location(FILE, 4, 48));
    }

    @Test
    void readsRiseAndFallIntoThePolicy() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                rise = 3
                fall = 2
                """, FILE, providers);

        assertThat(services).singleElement().extracting(ServiceDefinition::policy).isEqualTo(new Policy(3, 2));
    }

    @Test
    void readsWhenDownPerServiceAndPerPrefixAndTheDrainKeysWithTheServiceOverridingTheTopLevel() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse("""
                drain-hold = "30s"
                drain-route-map = "GSHUT"

                [services.dns]
                prefixes.frrouting = [
                    "203.0.113.53",
                    { prefix = "203.0.113.54", when-down = "withdraw" },
                    { prefix = "203.0.113.55", when-down = { route-map = "LAST" } },
                ]
                checks.cabourotte = ["dns"]
                when-down = { route-map = "DNS-DOWN" }
                drain-hold = "5s"

                [services.ntp]
                prefixes.frrouting = ["203.0.113.123"]
                checks.cabourotte = ["ntp"]
                """, FILE, providers);

        ServiceDefinition dns = services.get(0);
        assertThat(dns.whenDown()).containsExactly(new WhenDown.Through("DNS-DOWN"), WhenDown.WITHDRAW, new WhenDown.Through("LAST"));
        assertThat(dns.gracefulDrain()).contains(new GracefulDrain(Duration.ofSeconds(5), "GSHUT"));
        assertThat(frrouting.received()).allSatisfy(options -> assertThat(options.keys()).doesNotContain("when-down"));
        ServiceDefinition ntp = services.get(1);
        assertThat(ntp.whenDown()).containsExactly(WhenDown.WITHDRAW);
        assertThat(ntp.gracefulDrain()).contains(new GracefulDrain(Duration.ofSeconds(30), "GSHUT"));
    }

    @Test
    void withoutTheNewKeysAServiceWithdrawsWhenDownAndAtOnceWhenDrained() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse(ISSUE_EXAMPLE, FILE, providers);

        assertThat(services).allSatisfy(service -> {
            assertThat(service.whenDown()).containsOnly(WhenDown.WITHDRAW);
            assertThat(service.gracefulDrain()).isEmpty();
        });
    }

    @Test
    void changingTheTopLevelDrainKeysChangesTheServicesThatUseThem() throws Exception {
        String service = """

                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """;
        ServiceDefinition before = TomlConfiguration.parse("drain-hold = \"30s\"\ndrain-route-map = \"GSHUT\"\n" + service, FILE,
                providers).get(0);
        ServiceDefinition after = TomlConfiguration.parse("drain-hold = \"60s\"\ndrain-route-map = \"GSHUT\"\n" + service, FILE,
                providers).get(0);

        assertThat(before.sameAs(after)).isFalse();
    }

    @Test
    void aDrainHoldThatIsNotPositiveIsReportedAtItsLineOnce() {
        ConfigurationException error = parseFailure("""
                drain-hold = "0s"
                drain-route-map = "GSHUT"

                [services.a]
                prefixes.frrouting = ["203.0.113.1"]
                checks.cabourotte = ["a"]
                drain-hold = -5
                """);

        assertThat(error.problems()).extracting(Problem::keyPath, problem -> problem.location().line()).containsExactly(
                tuple("drain-hold", 1), tuple("services.a.drain-hold", 7));
        assertThat(error.getMessage()).contains(FILE + ":1:1: drain-hold: \"0s\" is not a positive duration");
    }

    @Test
    void reportsEveryWrongFormOfTheNewKeysWithKeyPathAndLine() {
        ConfigurationException error = parseFailure("""
                # no top-level drain keys

                [services.a]
                prefixes.frrouting = ["203.0.113.1"]
                checks.cabourotte = ["a"]
                when-down = "vanish"

                [services.b]
                prefixes.frrouting = [{ prefix = "203.0.113.2", when-down = { routemap = "X" } }]
                checks.cabourotte = ["b"]
                when-down = 3

                [services.c]
                prefixes.frrouting = ["203.0.113.3"]
                checks.cabourotte = ["c"]
                when-down = { route-map = "" }
                drain-hold = "30s"

                [services.d]
                prefixes.frrouting = ["203.0.113.4"]
                checks.cabourotte = ["d"]
                when-down = { route-map = "a b" }
                drain-route-map = "GSHUT"

                [services.e]
                prefixes.frrouting = ["203.0.113.5"]
                checks.cabourotte = ["e"]
                drain-hold = 30
                drain-route-map = ["GSHUT"]
                """);

        assertThat(error.problems()).extracting(Problem::keyPath, problem -> problem.location().line()).containsExactly(
                tuple("services.a.when-down", 6),
                tuple("services.b.prefixes.frrouting[0].when-down.routemap", 9),
                tuple("services.b.when-down", 11),
                tuple("services.c.when-down.route-map", 16),
                tuple("services.c.drain-hold", 17),
                tuple("services.d.when-down.route-map", 22),
                tuple("services.d.drain-route-map", 23),
                tuple("services.e.drain-route-map", 29));
        assertThat(error.getMessage()).contains(
                "services.a.when-down: \"vanish\" is not a when-down; write when-down = \"withdraw\" (the default) or"
                        + " when-down = { route-map = \"NAME\" }",
                "services.b.prefixes.frrouting[0].when-down.routemap: unknown",
                "services.b.when-down: expected \"withdraw\" or a table, got",
                "services.c.when-down.route-map: the route-map name is empty",
                "services.c.drain-hold: a drain hold needs the route-map to hold the prefixes through; add drain-route-map",
                "services.d.when-down.route-map: \"a b\" is not a route-map name",
                "services.d.drain-route-map: a drain route-map needs the time to hold the prefixes through it; add drain-hold",
                "services.e.drain-route-map: expected");
    }

    @Test
    void servicesComeInTheOrderTheFileNamesThem() throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> names = List.of("zulu", "alpha", "mike", "bravo");
        for (String name : names) {
            text.append("[services.").append(name).append("]\n")
                    .append("prefixes.frrouting = [\"203.0.113.").append(names.indexOf(name) + 1).append("\"]\n")
                    .append("checks.cabourotte = [\"").append(name).append("\"]\n");
        }

        List<ServiceDefinition> services = TomlConfiguration.parse(text.toString(), FILE, providers);

        assertThat(services).extracting(ServiceDefinition::name).containsExactly("zulu", "alpha", "mike", "bravo");
    }

    @Test
    void anEmptyServicesTableIsAConfigurationWithNoServices() throws Exception {
        assertThat(TomlConfiguration.parse("[services]\n", FILE, providers)).isEmpty();
    }

    @Test
    void reportsEveryProblemOfTheFileInFileOrder() {
        ConfigurationException error = parseFailure("""
                [services.ntp]
                checks.cabourotte = [{ name = "ntp", interval = "soon" }]
                prefixes.frrouting = [
                    { prefix = "203.0.113.123", vfr = "123" },
                    "192.0.2.1/24",
                ]
                rise = 0

                [services.dns]
                prefixes.bird = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """);

        assertThat(error.kind()).isEqualTo(Kind.INVALID);
        assertThat(error.problems()).extracting(Problem::keyPath).containsExactly(
                "services.ntp.checks.cabourotte[0].interval",
                "services.ntp.prefixes.frrouting[0].vfr",
                "services.ntp.prefixes.frrouting[1].prefix",
                "services.ntp.rise",
                "services.dns.prefixes.bird");
        assertThat(error.problems()).extracting(problem -> problem.location().line()).containsExactly(2, 4, 5, 7, 10);
        assertThat(error.getMessage()).isEqualTo(String.join("\n",
                FILE + ":2:38: services.ntp.checks.cabourotte[0].interval: \"soon\" is not a duration;"
                        + " use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)",
                FILE + ":4:33: services.ntp.prefixes.frrouting[0].vfr: unknown option \"vfr\" (did you mean \"vrf\"?);"
                        + " known: prefix, vrf, vtysh",
                FILE + ":5:5: services.ntp.prefixes.frrouting[1].prefix: \"192.0.2.1/24\" has host bits set;"
                        + " did you mean 192.0.2.0/24?",
                FILE + ":7:1: services.ntp.rise: 0 is not a positive integer; use 1 or more (the default is 1)",
                FILE + ":10:1: services.dns.prefixes.bird: unknown prefix type \"bird\"; known: frrouting."
                        + " Is its plugin jar in the plugins directory?"));
    }

    @Test
    void reportsEverySyntaxErrorWithoutCheckingTheSchema() {
        ConfigurationException error = parseFailure("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                rise = 1
                rise = 2
                bogus = 1
                fall = 1e999
                """);

        assertThat(error.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(error.problems()).extracting(Problem::keyPath, problem -> problem.location().line())
                .containsExactly(tuple("services.dns.rise", 4),
                        tuple("", 6));
    }

    @Test
    void aMisspelledPrefixesKeyIsReportedOnceWithASuggestion() {
        ConfigurationException error = parseFailure("""
                [services.dns]
                prefix.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """);

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.prefix");
            assertThat(problem.message()).contains("did you mean \"prefixes\"?");
        });
    }

    @Test
    void aPrefixAnnouncedAtTheSamePlaceByTwoServicesIsRefusedNamingBoth() {
        ConfigurationException error = parseFailure("""
                [services.a]
                prefixes.frrouting = ["203.0.113.1"]
                checks.cabourotte = ["a"]

                [services.b]
                prefixes.frrouting = ["203.0.113.2", "203.0.113.1"]
                checks.cabourotte = ["b"]
                """);

        assertThat(error.problems()).singleElement().hasToString(FILE + ":6:38: services.b.prefixes.frrouting[1]:"
                + " 203.0.113.1/32 (test prefixes, default VRF) is already a prefix of service \"a\""
                + " (services.a.prefixes.frrouting[0], line 2); one service owns each announcement, or each would undo"
                + " the other's. To put a prefix behind several checks, list them all in one service");
    }

    @Test
    void theSamePrefixInTwoVrfsIsTwoAnnouncements() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse("""
                [services.a]
                prefixes.frrouting = [{ prefix = "203.0.113.1", vrf = "red" }]
                checks.cabourotte = ["a"]

                [services.b]
                prefixes.frrouting = ["203.0.113.1"]
                checks.cabourotte = ["b"]
                """, FILE, providers);

        assertThat(services).hasSize(2);
    }

    @Test
    void aServiceWithoutChecksSaysChecksAreMissing() {
        ConfigurationException error = parseFailure("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                """);

        assertThat(error.problems()).singleElement().hasToString(FILE + ":1:1: services.dns.checks: service \"dns\" has no"
                + " checks; add at least one as checks.TYPE = [...], where TYPE is one of cabourotte, exec");
    }

    @Test
    void quotesServiceNamesThatAreNotBareKeysInKeyPaths() {
        ConfigurationException error = parseFailure("""
                [services."dns.v4"]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                fall = 0
                """);

        assertThat(error.problems()).singleElement().extracting(Problem::keyPath).isEqualTo("services.\"dns.v4\".fall");
    }

    @Test
    void acceptsPrintableUnicodeServiceNames() throws Exception {
        List<ServiceDefinition> services = TomlConfiguration.parse("""
                [services."café"]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["café"]
                """, FILE, providers);

        assertThat(services).extracting(ServiceDefinition::name).containsExactly("café");
    }

    @Test
    void aMissingRequiredOptionIsReportedWithoutCallingTheProvider() throws ConfigurationException {
        List<Options> created = new ArrayList<>();
        PrefixProvider needsDirectory = new PrefixProvider() {
            @Override
            public String type() {
                return "file";
            }

            @Override
            public List<String> requiredOptions() {
                return List.of("prefix", "directory");
            }

            @Override
            public Prefix create(Options options) {
                created.add(options);
                throw new AssertionError("create must not be called without its required options");
            }
        };
        Providers withIt = Providers.of(List.of(needsDirectory), List.of(cabourotte));

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> TomlConfiguration.parse("""
                [services.dns]
                prefixes.file = [{ prefix = "203.0.113.53" }]
                checks.cabourotte = ["dns"]
                """, FILE, withIt));

        assertThat(created).isEmpty();
        assertThat(error.problems()).singleElement().hasToString(FILE + ":2:18: services.dns.prefixes.file[0].directory:"
                + " required option \"directory\" is missing");
    }

    @Test
    void reportsAProviderBugWithTheItemItFailedOnAndKeepsItsStackTrace() throws ConfigurationException {
        IllegalStateException bug = new IllegalStateException("unexpected state");
        PrefixProvider broken = new PrefixProvider() {
            @Override
            public String type() {
                return "broken";
            }

            @Override
            public Prefix create(Options options) {
                throw bug;
            }
        };
        Providers withBrokenProvider = Providers.of(List.of(broken), List.of(cabourotte));

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> TomlConfiguration.parse("""
                [services.dns]
                prefixes.broken = [{ anything = 1 }]
                checks.cabourotte = ["dns"]
                """, FILE, withBrokenProvider));

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.prefixes.broken[0]");
            assertThat(problem.location()).isEqualTo(new Location(FILE, 2, 20));
            assertThat(problem.message()).startsWith("the broken provider failed: java.lang.IllegalStateException: unexpected state;")
                    .as("names the plugin: its class and where it was loaded from")
                    .containsPattern("this is a bug in [\\w.$]+ \\(/[^)]+\\), please report it");
        });
        assertThat(error.getSuppressed()).containsExactly(bug);
    }

    @Test
    void runningOutOfHeapWhileReadingIsAConfigurationErrorThatSaysHowToGiveMore() throws Exception {
        Path file = write("anycastd.toml", ARCHITECTURE_EXAMPLE);

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.load(file, providersFailingWith(new OutOfMemoryError("Java heap space"))));

        assertThat(error.kind()).as("exit 65, which the systemd unit does not restart on").isEqualTo(Kind.INVALID);
        assertThat(error.getMessage()).startsWith(file + ": reading it ran out of memory: the Java heap (")
                .containsPattern("MiB\\) is too small for this configuration; give Java a larger heap, e\\.g\\. -Xmx[0-9]+m \\(")
                .endsWith("(anycastd's launcher takes Java options from ANYCASTD_OPTS)")
                .doesNotContain("\n");
    }

    @Test
    void overflowingTheStackWhileReadingIsAConfigurationError() throws Exception {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parse(ARCHITECTURE_EXAMPLE, FILE, providersFailingWith(new StackOverflowError())));

        assertThat(error.kind()).isEqualTo(Kind.INVALID);
        assertThat(error.getMessage()).isEqualTo(FILE + ": reading it overflowed the Java thread's stack; nest arrays and tables"
                + " less deeply, or give Java a larger stack, e.g. -Xss4m (anycastd's launcher takes Java options from ANYCASTD_OPTS)");
    }

    /** The real prefix provider and a check provider whose {@code create} throws {@code error}. */
    private Providers providersFailingWith(Error error) throws ConfigurationException {
        HealthCheckProvider failing = new HealthCheckProvider() {
            @Override
            public String type() {
                return "cabourotte";
            }

            @Override
            public HealthCheck create(Options options) {
                throw error;
            }
        };
        return Providers.of(List.of(frrouting), List.of(failing));
    }

    @Test
    void aMissingFileIsReportedAsMissing() {
        Path missing = directory.resolve("absent.toml");

        ConfigurationException error = loadFailure(missing);

        assertThat(error.kind()).isEqualTo(Kind.MISSING_FILE);
        assertThat(error.getMessage()).isEqualTo(missing + ": no such file; create it or give the path of the configuration file");
    }

    @Test
    void aDirectoryIsReportedAsUnreadable() {
        ConfigurationException error = loadFailure(directory);

        assertThat(error.kind()).isEqualTo(Kind.UNREADABLE_FILE);
        assertThat(error.getMessage()).isEqualTo(directory + ": is a directory; give the path of the configuration file");
    }

    @Test
    void aFileWithoutReadPermissionIsReportedAsUnreadable() throws IOException {
        Path file = write("secret.toml", ISSUE_EXAMPLE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeThat(Files.isReadable(file)).as("only meaningful when not running as root").isFalse();

        ConfigurationException error = loadFailure(file);

        assertThat(error.kind()).isEqualTo(Kind.UNREADABLE_FILE);
        assertThat(error.getMessage()).startsWith(file + ": cannot be read (java.nio.file.AccessDeniedException");
    }

    @Test
    void aFileWhoseReadFailsIsReportedAsUnreadableEvenForRoot() {
        // Reading a process's memory from offset 0 fails with EIO whoever reads it.
        Path memory = Path.of("/proc/self/mem");
        assumeThat(memory).as("Linux /proc").exists();

        ConfigurationException error = loadFailure(memory);

        assertThat(error.kind()).isEqualTo(Kind.UNREADABLE_FILE);
        assertThat(error.getMessage()).isEqualTo(memory + ": cannot be read (java.io.IOException: Input/output error);"
                + " check the file and its permissions");
    }

    @Test
    void aFileLargerThan16MibIsRefusedWithoutParsingIt() throws IOException {
        Path file = directory.resolve("large.toml");
        Files.write(file, ("#" + "x".repeat(TomlConfiguration.MAX_FILE_BYTES) + "\n").getBytes(StandardCharsets.US_ASCII));

        ConfigurationException error = loadFailure(file);

        assertThat(error.kind()).as("exit 65, which the systemd unit does not restart on").isEqualTo(Kind.INVALID);
        assertThat(error.getMessage()).isEqualTo(file + ": is larger than 16 MiB, the most anycastd reads; a configuration of"
                + " 5,000 services takes about 600 KB, so give the path of the configuration file");
    }

    @Test
    void aFileOf16MibIsRead() throws IOException {
        Path file = directory.resolve("comment.toml");
        byte[] bytes = ("#" + "x".repeat(TomlConfiguration.MAX_FILE_BYTES - 2) + "\n").getBytes(StandardCharsets.US_ASCII);
        Files.write(file, bytes);

        ConfigurationException error = loadFailure(file);

        assertThat(bytes).hasSize(TomlConfiguration.MAX_FILE_BYTES);
        assertThat(error.getMessage()).endsWith("no services configured; add a table [services.NAME] with its prefixes and checks");
    }

    @Test
    void anEndlessFileIsReadOnlyUpToTheBound() {
        Path endless = Path.of("/dev/zero");
        assumeThat(endless).as("a Unix /dev/zero").exists();

        ConfigurationException error = loadFailure(endless);

        assertThat(error.kind()).isEqualTo(Kind.INVALID);
        assertThat(error.getMessage()).startsWith("/dev/zero: is larger than 16 MiB, the most anycastd reads;");
    }

    @Test
    void nonUtf8BytesAreASyntaxErrorAtTheirLineAndColumn() throws IOException {
        Path file = directory.resolve("latin1.toml");
        Files.write(file, "[services.dns]\n# service café\n".getBytes(StandardCharsets.ISO_8859_1));

        ConfigurationException error = loadFailure(file);

        assertThat(error.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(error.getMessage()).isEqualTo(file + ":2:14: byte 0xE9 is not valid UTF-8; save the file as UTF-8");
    }

    @Test
    void ignoresAUtf8ByteOrderMark() throws Exception {
        Path file = write("bom.toml", "\uFEFF" + ARCHITECTURE_EXAMPLE);

        assertThat(TomlConfiguration.load(file, providers)).hasSize(2);
    }

    @Test
    void textWithoutAFileHasLocationsWithoutAFile() {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parse("[services.dns]\nprefixes.frrouting = [\"x\"]\nchecks.cabourotte = [\"dns\"]\n", null, providers));

        assertThat(error.problems()).singleElement().hasToString(
                "line 2:23: services.dns.prefixes.frrouting[0].prefix: \"x\" is not an IP address or prefix;"
                        + " expected e.g. 203.0.113.53, 192.0.2.0/24 or 2001:db8::53");
    }

    private ConfigurationException parseFailure(String text) {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parse(text, FILE, providers));
        assertThat(error).as("the configuration must be rejected").isNotNull();
        return error;
    }

    private ConfigurationException loadFailure(Path file) {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.load(file, providers));
        assertThat(error).as("loading %s must fail", file).isNotNull();
        return error;
    }

    @Test
    void eachServiceCarriesAFingerprintThatAReloadComparesIgnoringCommentsAndLayout() throws Exception {
        List<ServiceDefinition> before = TomlConfiguration.parse(ARCHITECTURE_EXAMPLE, FILE, providers);
        List<ServiceDefinition> after = TomlConfiguration.parse("""
                # dns is written differently but means the same; ntp changes its interval
                [services.dns]
                checks.cabourotte = [ "dns" ]
                prefixes.frrouting = ["2001:db8::b19:bad:53",
                                      "203.0.113.53"]
                [services.ntp]
                prefixes.frrouting = [{ prefix = "203.0.113.123", vrf = "123" }]
                checks.cabourotte = [{ name = "ntp_v4", interval = 2 }]
                """, FILE, providers);

        assertThat(before.get(0).fingerprint()).isNotEmpty();
        assertThat(after.get(0).sameAs(before.get(0))).isTrue();
        assertThat(after.get(1).sameAs(before.get(1))).isFalse();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
    }
}
