package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.anycastd.core.service.ChangeHook;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.Requirement;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Providers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-service policy keys: require, on-change and on-change-timeout, require-local and interface. */
class TomlConfigurationPolicyTest {

    private static final Path FILE = Path.of("/etc/anycastd/anycastd.toml");
    private static final String TWO_CHECKS = """
            [services.dns]
            prefixes.frrouting = ["203.0.113.53"]
            checks.cabourotte = ["a", "b"]
            """;

    @TempDir
    Path directory;

    private Providers providers;

    @BeforeEach
    void createProviders() throws ConfigurationException {
        providers = Providers.of(List.of(new RecordingPrefixProvider()),
                List.of(new RecordingCheckProvider(), new AddressCheckProvider()));
    }

    @Test
    void withoutPolicyKeysAServiceRequiresEveryCheckAndHasNoHookNorGuard() throws Exception {
        ServiceDefinition service = parse(TWO_CHECKS).get(0);

        assertThat(service.policy()).isEqualTo(Policy.DEFAULT);
        assertThat(service.policy().require()).isEqualTo(Requirement.ALL);
        assertThat(service.onChange()).isEmpty();
        assertThat(service.checks()).extracting(check -> check.name()).containsExactly("a", "b");
    }

    @ParameterizedTest(name = "require = {0}")
    @CsvSource(delimiter = '|', value = {
        "'\"all\"' | all (2 of 2)",
        "'\"any\"' | any (1 of 2)",
        "'2'       | at least 2 (2 of 2)",
        "'1'       | any (1 of 2)",
        "'\"50%\"' | 50% (1 of 2)",
        "'\"1%\"'  | 1% (1 of 2)",
        "'\"100%\"'| 100% (2 of 2)",
    })
    void readsEveryFormOfRequire(String value, String described) throws Exception {
        ServiceDefinition service = parse(TWO_CHECKS + "require = " + value + "\n").get(0);

        assertThat(service.policy().require().describe(2)).isEqualTo(described);
    }

    @ParameterizedTest(name = "require = {0}")
    @CsvSource(delimiter = '|', value = {
        "0        | 0 is not a positive count of checks; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "-1       | -1 is not a positive count of checks; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "3        | 3 checks required, but the service has 2 checks; require at most 2, or \"all\"",
        "\"0%\"   | \"0%\" is not a percentage from 1% to 100%; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "\"101%\" | \"101%\" is not a percentage from 1% to 100%; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "\"50 %\" | \"50 %\" is not a rule for how many checks must pass; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "\"most\" | \"most\" is not a rule for how many checks must pass; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "\"2\"    | \"2\" is not a rule for how many checks must pass; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\" (a count is written without quotes: require = 2)",
        "\"ALL\"  | \"ALL\" is not a rule for how many checks must pass; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "true     | expected \"all\", \"any\", a count or a percentage, got boolean true; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "0.5      | expected \"all\", \"any\", a count or a percentage, got number 0.5; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
        "[\"any\"] | expected \"all\", \"any\", a count or a percentage, got a list; use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage such as \"50%\"",
    })
    void rejectsEveryWrongFormOfRequireWithItsKeyPathAndLine(String value, String message) {
        ConfigurationException error = failure(TWO_CHECKS + "require = " + value + "\n");

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.require");
            assertThat(problem.location().line()).isEqualTo(4);
            assertThat(problem.location().file()).isEqualTo(FILE);
            assertThat(problem.message()).isEqualTo(message);
        });
    }

    @Test
    void readsAHookWithItsArgumentsAndTimeout() throws Exception {
        Path program = executable("notify");

        ServiceDefinition service = parse(TWO_CHECKS + "on-change = [\"" + program + "\", \"--to\", \"ops\"]\non-change-timeout = \"3s\"\n")
                .get(0);

        assertThat(service.onChange()).contains(new ChangeHook(List.of(program.toString(), "--to", "ops"), Duration.ofSeconds(3)));
        assertThat(parse(TWO_CHECKS + "on-change = [\"" + program + "\"]\n").get(0).onChange().orElseThrow().timeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsEveryWrongHookWithItsKeyPathAndLine() throws Exception {
        Path notExecutable = Files.writeString(directory.resolve("plain"), "#!/bin/sh\n");
        Path program = executable("notify");

        assertProblem("on-change = \"" + program + "\"", "services.dns.on-change", "expected a list of texts, got text \""
                + program + "\"");
        assertProblem("on-change = []", "services.dns.on-change", "an empty command; give the program's absolute path and its"
                + " arguments: on-change = [\"/usr/local/bin/notify\", \"arg\"]");
        assertProblem("on-change = [\"notify.sh\"]", "services.dns.on-change", "\"notify.sh\" is not an absolute path; give the"
                + " program's full path, e.g. /usr/local/bin/notify.sh");
        assertProblem("on-change = [\"" + directory.resolve("missing") + "\"]", "services.dns.on-change", "\""
                + directory.resolve("missing") + "\" does not exist; give the path of an executable program");
        assertProblem("on-change = [\"" + notExecutable + "\"]", "services.dns.on-change", "\"" + notExecutable
                + "\" is not an executable file; check the path, or make it executable (chmod +x)");
        assertProblem("on-change = [\"" + directory + "\"]", "services.dns.on-change", "\"" + directory
                + "\" is not an executable file; check the path, or make it executable (chmod +x)");
        assertProblem("on-change = [\"" + program + "\", 1]", "services.dns.on-change", "expected a list of texts, but it holds"
                + " integer 1");
        assertProblem("on-change-timeout = 5", "services.dns.on-change-timeout", "a timeout without a hook; add on-change ="
                + " [\"/path/to/program\", ...] or remove it");
        assertProblem("on-change = [\"" + program + "\"]\non-change-timeout = 0", "services.dns.on-change-timeout",
                "\"0\" is not a positive duration; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)");
    }

    @Test
    void requireLocalOnAServiceAddsAGuardingAddressCheckPerPrefixThatRequireDoesNotCount() throws Exception {
        ServiceDefinition service = parse("""
                [services.dns]
                prefixes.frrouting = ["203.0.113.53", "2001:db8::53", "192.0.2.0/24"]
                checks.cabourotte = ["a", "b"]
                require = "any"
                require-local = true
                interface = "lo"
                """).get(0);

        assertThat(service.checks()).extracting(check -> check.name()).containsExactly("a", "b", "local-address 203.0.113.53",
                "local-address 2001:db8:0:0:0:0:0:53", "local-address 192.0.2.0");
        assertThat(service.checks().get(2)).isEqualTo(new AddressCheckProvider.AddressCheck("local-address 203.0.113.53",
                "203.0.113.53", "lo"));
        assertThat(service.policy().guards()).containsExactlyInAnyOrder("local-address 203.0.113.53",
                "local-address 2001:db8:0:0:0:0:0:53", "local-address 192.0.2.0");
        assertThat(service.policy().require()).isEqualTo(Requirement.ANY);
    }

    @Test
    void requireLocalOnAPrefixGuardsThatPrefixOnlyAndItsProviderNeverSeesTheKeys() throws Exception {
        ServiceDefinition service = parse("""
                [services.dns]
                prefixes.frrouting = [{ prefix = "203.0.113.53", require-local = true }, { prefix = "203.0.113.54" },
                    { prefix = "203.0.113.55", require-local = true, interface = "dummy0" }]
                checks.cabourotte = ["a"]
                require = 1
                """).get(0);

        assertThat(service.checks()).containsExactly(TestCheck.named("a"),
                new AddressCheckProvider.AddressCheck("local-address 203.0.113.53", "203.0.113.53", null),
                new AddressCheckProvider.AddressCheck("local-address 203.0.113.55", "203.0.113.55", "dummy0"));
        assertThat(service.policy()).isEqualTo(new Policy(1, 1, new Requirement.AtLeast(1),
                Set.of("local-address 203.0.113.53", "local-address 203.0.113.55")));
    }

    @Test
    void aPrefixMayOptOutOfItsServicesRequireLocal() throws Exception {
        ServiceDefinition service = parse("""
                [services.dns]
                prefixes.frrouting = [{ prefix = "203.0.113.53", require-local = false }, "203.0.113.54"]
                checks.cabourotte = ["a"]
                require-local = true
                """).get(0);

        assertThat(service.policy().guards()).containsExactly("local-address 203.0.113.54");
    }

    @Test
    void rejectsEveryWrongAddressGuardWithItsKeyPathAndLine() {
        assertProblem("require-local = \"yes\"", "services.dns.require-local", "expected true or false, got text \"yes\"");
        assertProblem("interface = \"lo\"", "services.dns.interface", "an interface without require-local; add require-local ="
                + " true to announce only while the address is on \"lo\", or remove it");
        assertProblem("require-local = true\ninterface = \"l o\"", "services.dns.interface", "\"l o\" is not an interface name");
        assertProblem("require-local = true\ninterface = 1", "services.dns.interface", "expected text, got integer 1");

        ConfigurationException onPrefix = failure("""
                [services.dns]
                prefixes.frrouting = [{ prefix = "203.0.113.53", interface = "lo" }]
                checks.cabourotte = ["a"]
                """);
        assertThat(onPrefix.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.prefixes.frrouting[0].interface");
            assertThat(problem.location().line()).isEqualTo(2);
            assertThat(problem.message()).startsWith("an interface without require-local;");
        });
    }

    @Test
    void requireLocalNeedsTheAddressCheckType() throws Exception {
        Providers withoutAddress = Providers.of(List.of(new RecordingPrefixProvider()), List.of(new RecordingCheckProvider()));

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parse(TWO_CHECKS + "require-local = true\n", FILE, withoutAddress));

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.require-local");
            assertThat(problem.location().line()).isEqualTo(4);
            assertThat(problem.message()).contains("unknown check type \"address\"");
        });
    }

    @Test
    void aChangedPolicyKeyMakesAReloadReplaceTheService() throws Exception {
        ServiceDefinition before = parse(TWO_CHECKS).get(0);
        ServiceDefinition after = parse(TWO_CHECKS + "require = \"any\"\n").get(0);

        assertThat(after.sameAs(before)).isFalse();
        assertThat(parse(TWO_CHECKS).get(0).sameAs(before)).isTrue();
    }

    private void assertProblem(String line, String keyPath, String message) {
        ConfigurationException error = failure(TWO_CHECKS + line + "\n");
        assertThat(error.problems()).as(line).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo(keyPath);
            assertThat(problem.location().line()).isGreaterThanOrEqualTo(4);
            assertThat(problem.location().file()).isEqualTo(FILE);
            assertThat(problem.message()).isEqualTo(message);
        });
    }

    private List<ServiceDefinition> parse(String text) throws ConfigurationException {
        return TomlConfiguration.parse(text, FILE, providers);
    }

    private ConfigurationException failure(String text) {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> TomlConfiguration.parse(text, FILE, providers));
        assertThat(error).as("the configuration must be rejected:\n%s", text).isNotNull();
        return error;
    }

    private Path executable(String name) throws IOException {
        Path program = Files.writeString(directory.resolve(name), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }
}
