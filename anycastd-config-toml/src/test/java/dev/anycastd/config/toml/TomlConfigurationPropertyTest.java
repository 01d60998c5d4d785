package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.Providers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever an operator's editor does to a valid file, loading it either succeeds or fails with
 * a {@link ConfigurationException} whose problems point into the file; never with another
 * exception.
 */
class TomlConfigurationPropertyTest {

    private static final Path FILE = Path.of("/etc/anycastd/anycastd.toml");

    /** A valid file using every form the schema has, so mutations reach every branch. */
    private static final String VALID = """
            # anycastd configuration
            [services.dns]
            prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]
            checks.cabourotte = ["dns"]
            rise = 2
            fall = 3

            [services.ntp]
            prefixes.frrouting = [
                { "prefix" = "2001:db8::123:7e11:713e", "vrf" = "123" },
                { prefix = "203.0.113.123", vrf = "123", vtysh = "/usr/bin/vtysh" },
            ]
            checks.cabourotte = [
                { "name" = "ntp_v6", "interval" = 1 },
                { name = "ntp_v4", interval = "500ms", url = "http://127.0.0.1:9013" },
            ]

            [services."api.v4"]
            checks.exec = [{ name = "curl", command = ["curl", "-f"], env = { tries = 3 } }]

            [[services."api.v4".prefixes.frrouting]]
            prefix = "192.0.2.0/24"
            vrf = 42
            """;

    /** Characters that mean something to TOML or to the schema, and some that should mean nothing. */
    private static final char[] INTERESTING = "[]{}\"'=,.#\n \t\\-_:/0123456789abcxyz\u0000\u0007\u00e9\u2028\uFEFF".toCharArray();

    /** One edit of a text. Positions are taken modulo the text's length, so any integer is valid. */
    private record Mutation(Edit edit, int position, int other, char character) {

        enum Edit {
            DELETE_CHARACTER, INSERT_CHARACTER, INSERT_REPEATED_CHARACTER, REPLACE_CHARACTER, DELETE_RANGE,
            DUPLICATE_LINE, DELETE_LINE, SWAP_LINES, TRUNCATE
        }

        String applyTo(String text) {
            if (text.isEmpty()) {
                return String.valueOf(character);
            }
            int at = Math.floorMod(position, text.length());
            int to = Math.floorMod(other, text.length());
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int line = Math.floorMod(position, lines.size());
            int otherLine = Math.floorMod(other, lines.size());
            return switch (edit) {
                case DELETE_CHARACTER -> text.substring(0, at) + text.substring(at + 1);
                case INSERT_CHARACTER -> text.substring(0, at) + character + text.substring(at);
                case INSERT_REPEATED_CHARACTER -> text.substring(0, at) + String.valueOf(character).repeat(other % 3000) + text.substring(at);
                case REPLACE_CHARACTER -> text.substring(0, at) + character + text.substring(at + 1);
                case DELETE_RANGE -> text.substring(0, Math.min(at, to)) + text.substring(Math.max(at, to));
                case DUPLICATE_LINE -> {
                    lines.add(line, lines.get(line));
                    yield String.join("\n", lines);
                }
                case DELETE_LINE -> {
                    lines.remove(line);
                    yield String.join("\n", lines);
                }
                case SWAP_LINES -> {
                    String first = lines.get(line);
                    lines.set(line, lines.get(otherLine));
                    lines.set(otherLine, first);
                    yield String.join("\n", lines);
                }
                case TRUNCATE -> text.substring(0, at);
            };
        }
    }

    @Property(tries = 3000)
    void aMutatedFileLoadsOrFailsWithAConfigurationError(@ForAll("mutatedFiles") String text) throws ConfigurationException {
        outcomeOf(text.getBytes(StandardCharsets.UTF_8), text, 3);
    }

    @Property(tries = 1000)
    void aFileWithMutatedBytesLoadsOrFailsWithAConfigurationError(@ForAll("mutatedBytes") byte[] bytes) throws ConfigurationException {
        // Most random bytes are not UTF-8, so few of these files stay valid.
        outcomeOf(bytes, new String(bytes, StandardCharsets.UTF_8), 1);
    }

    /** Loads, checks what came out, and counts the outcomes so the run shows mutations do not always break the file. */
    private static void outcomeOf(byte[] bytes, String text, double minimumValidPercentage) throws ConfigurationException {
        Providers providers = Providers.of(List.of(new RecordingPrefixProvider()),
                List.of(new RecordingCheckProvider(), new ExecCheckProvider()));
        int lines = text.split("\n", -1).length;
        try {
            List<ServiceDefinition> services = TomlConfiguration.parse(bytes, FILE, providers);
            assertThat(services).doesNotContainNull();
            Statistics.label("outcome").collect("valid");
        } catch (ConfigurationException e) {
            assertThat(e.kind()).isIn(Kind.SYNTAX, Kind.INVALID);
            assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem.message()).isNotBlank();
                assertThat(problem.location().file()).isEqualTo(FILE);
                assertThat(problem.location().line()).isBetween(0, lines);
            });
            assertThat(e.problems()).extracting(Problem::location)
                    .extracting(location -> location.line())
                    .isSorted();
            Statistics.label("outcome").collect(e.kind().toString());
        }
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("valid").percentage(percentage -> percentage >= minimumValidPercentage);
            coverage.check("SYNTAX").percentage(percentage -> percentage > 10);
        });
    }

    @Provide
    Arbitrary<String> mutatedFiles() {
        return mutations().list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            String text = VALID;
            for (Mutation edit : edits) {
                text = edit.applyTo(text);
            }
            return text;
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedBytes() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        return Combinators.combine(
                Arbitraries.integers().between(0, valid.length - 1).list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.bytes().list().ofSize(3))
                .as((positions, values) -> {
                    byte[] bytes = valid.clone();
                    for (int index = 0; index < positions.size(); index++) {
                        bytes[positions.get(index)] = values.get(index);
                    }
                    return bytes;
                });
    }

    private static Arbitrary<Mutation> mutations() {
        Arbitrary<Character> characters = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(INTERESTING)),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
        return Combinators.combine(
                Arbitraries.of(Mutation.Edit.class),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                characters)
                .as(Mutation::new);
    }
}
