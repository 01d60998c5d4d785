package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.spi.Location;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tomlj.TomlPosition;

class SourceTextTest {

    private static final Path FILE = Path.of("anycastd.toml");

    @Test
    void movesAnElementPastSeparatorsLineEndsAndCommentsToWhereItStarts() {
        SourceText source = SourceText.of("a = [\n  # the first\n\n    { b = 1 },\n  \"x\"]\n", FILE);

        assertThat(source.atElement(TomlPosition.positionAt(1, 6))).isEqualTo(new Location(FILE, 4, 5));
        assertThat(source.atElement(TomlPosition.positionAt(4, 14))).isEqualTo(new Location(FILE, 5, 3));
    }

    @Test
    void countsColumnsInCodePointsAsTomljDoes() {
        SourceText source = SourceText.of("a = [\"\uD83D\uDE00\", \"b\"]\n", FILE);

        assertThat(source.atElement(TomlPosition.positionAt(1, 9))).isEqualTo(new Location(FILE, 1, 11));
    }

    @Test
    void findsNestingDeeperThanTheLimit() {
        SourceText source = SourceText.of("a = 1\nb = [[[[1]]]]\n", FILE);

        assertThat(source.firstNestingBeyond(3)).isEqualTo(new Location(FILE, 2, 8));
        assertThat(source.firstNestingBeyond(4)).isNull();
    }

    @Test
    void bracketsInStringsAndCommentsDoNotNest() {
        SourceText source = SourceText.of("""
                a = "[[[[\\"[["  # [[[[[
                b = '[[[['
                c = \"""
                [[[[
                \"""
                d = '''[[[[
                '''
                e = [[1]]
                """, FILE);

        assertThat(source.firstNestingBeyond(2)).isNull();
        assertThat(source.firstNestingBeyond(1)).isEqualTo(new Location(FILE, 8, 6));
    }
}
