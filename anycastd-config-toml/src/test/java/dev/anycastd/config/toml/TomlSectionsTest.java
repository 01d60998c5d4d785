package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Parsing section by section means what tomlj's parse of the whole file means, positions included, or does not answer. */
class TomlSectionsTest {

    /** Every form a section may take that the sections' scan must see through. */
    private static final String VALID = """
            # a comment with [brackets]
            metrics-listen = "127.0.0.1:9108"
            shutdown-timeout = "10s"

            [services.dns]
            prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]
            checks.cabourotte = ["dns"]
            rise = 2

              [services."api.v4"]   # an indented header with a quoted key
            prefixes.frrouting = [
            [ "not", "a header" ],
            { prefix = "192.0.2.0/24", vrf = "42" },
            ]
            checks.exec = [{ name = "curl", command = ["curl", "-f"], env = { tries = 3 } }]
            on-change = \"\"\"
            [services.inside-a-string]
            x = 1
            \"\"\"
            note = '''
            [services.inside-a-literal]'''

            [ services . ntp ]
            prefixes.frrouting = [{ prefix = "203.0.113.123" }]
            checks.cabourotte = [{ name = "ntp", interval = 1.5, when = 1979-05-27T07:32:00Z }]
            "quoted [key" = true
            """;

    @Test
    void aValidFileMeansWhatTheWholeFileMeans() {
        TomlParseResult sections = TomlSections.parse(VALID);

        assertThat(sections).isNotNull();
        assertThat(dump(sections)).isEqualTo(dump(Toml.parse(VALID)));
        assertThat(sections.get(List.of("services", "api.v4", "on-change"))).isEqualTo("[services.inside-a-string]\nx = 1\n");
        assertThat(sections.inputPositionOf(List.of("services", "ntp", "checks"))).hasToString("line 25, column 1");
    }

    @Test
    void windowsLineEndingsMeanTheSame() {
        String text = VALID.replace("\n", "\r\n");

        assertThat(dump(TomlSections.parse(text))).isEqualTo(dump(Toml.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[services.a]\nx = 1\n[services.a]\ny = 2\n", // a table defined twice
        "[services.a]\nx = 1\n[services.a.b]\ny = 2\n", // a header inside another's table
        "[services.a.b]\nx = 1\n[services.a]\ny = 2\n", // the same, the other way round
        "services = 1\n[services.a]\nx = 1\n", // a top-level key that a header extends
        "[[services.a.prefixes.frrouting]]\nprefix = \"192.0.2.1\"\n", // an array of tables
        "[services.a]\nx = \n[services.b]\ny = 2\n", // a syntax error
        "[services.a\nx = 1\n", // an unclosed header
    })
    void leavesToTheWholeFileWhatSectionsCannotShowAlone(String text) {
        assertThat(TomlSections.parse(text)).isNull();
    }

    @Test
    void leavesTablesNestedDeeperThanAConfigurationNeedsToTheWholeFile() {
        String text = "[services.a]\nx" + ".x".repeat(2000) + " = 1\n";

        assertThat(TomlSections.parse(text)).isNull();
    }

    @Property(tries = 2000)
    void anEditedFileMeansTheSameOrIsLeftToTheWholeFileParse(@ForAll("edits") List<Edit> edits) {
        String text = VALID;
        for (Edit edit : edits) {
            text = edit.applyTo(text);
        }
        TomlParseResult sections = TomlSections.parse(text);
        Statistics.collect(sections == null ? "whole file" : "sections");
        if (sections != null) {
            TomlParseResult whole = Toml.parse(text);
            assertThat(whole.errors()).isEmpty();
            assertThat(dump(sections)).isEqualTo(dump(whole));
        }
    }

    /** One edit: a character inserted, deleted or replaced, or a line duplicated or deleted. */
    record Edit(int kind, int position, char character) {
        String applyTo(String text) {
            if (text.isEmpty()) {
                return String.valueOf(character);
            }
            int at = Math.floorMod(position, text.length());
            List<String> lines = List.of(text.split("\n", -1));
            int line = Math.floorMod(position, lines.size());
            return switch (kind) {
                case 0 -> text.substring(0, at) + character + text.substring(at);
                case 1 -> text.substring(0, at) + text.substring(at + 1);
                case 2 -> text.substring(0, at) + character + text.substring(at + 1);
                case 3 -> String.join("\n", lines.subList(0, line + 1)) + "\n" + String.join("\n", lines.subList(line, lines.size()));
                default -> String.join("\n", lines.subList(0, line))
                        + (line + 1 < lines.size() ? "\n" + String.join("\n", lines.subList(line + 1, lines.size())) : "");
            };
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers(),
                Arbitraries.of("[]{}\"'=,.#\n \\-_abc1".toCharArray())).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3);
    }

    /** The tree as text: keys sorted, each value with its position and type. */
    private static String dump(Object value) {
        StringBuilder text = new StringBuilder();
        dump(text, value);
        return text.toString();
    }

    private static void dump(StringBuilder text, Object value) {
        if (value instanceof TomlTable table) {
            text.append('{');
            for (String key : new TreeSet<>(table.keySet())) {
                text.append(key).append('@').append(table.inputPositionOf(List.of(key))).append('=');
                dump(text, table.get(List.of(key)));
                text.append(", ");
            }
            text.append('}');
        } else if (value instanceof TomlArray array) {
            text.append('[');
            for (int index = 0; index < array.size(); index++) {
                text.append('@').append(array.inputPositionOf(index)).append('=');
                dump(text, array.get(index));
                text.append(", ");
            }
            text.append(']');
        } else {
            text.append(value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
        }
    }
}
