package dev.anycastd.config.toml;

import dev.anycastd.core.spi.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.tomlj.TomlPosition;

/**
 * The text of one configuration file and where it came from, turning tomlj's positions into
 * {@link Location}s. Immutable.
 */
final class SourceText {

    private final String text;
    private final Path file;
    private final List<String> lines;

    private SourceText(String text, Path file) {
        this.text = text;
        this.file = file;
        this.lines = List.of(text.split("\n", -1));
    }

    static SourceText of(String text, Path file) {
        return new SourceText(Objects.requireNonNull(text, "text"), file);
    }

    String text() {
        return text;
    }

    /** Where the file as a whole is. */
    Location fileLocation() {
        return new Location(file, 0, 0);
    }

    Location at(int line, int column) {
        return new Location(file, Math.max(line, 0), Math.max(column, 0));
    }

    Location at(TomlPosition position) {
        return position == null ? fileLocation() : at(position.line(), position.column());
    }

    /**
     * Where an array element really starts. tomlj places an element where its separator
     * starts (after the '[' or at the ',' before it), so an element on a line of its own would
     * be reported on the line before; skip blanks, commas, line ends and comments.
     */
    Location atElement(TomlPosition position) {
        if (position == null) {
            return fileLocation();
        }
        int line = position.line();
        int column = position.column();
        while (line >= 1 && line <= lines.size()) {
            String current = lines.get(line - 1);
            int index = offsetOfColumn(current, column);
            while (index < current.length() && isSeparator(current.charAt(index))) {
                index++;
            }
            if (index < current.length() && current.charAt(index) != '#') {
                return at(line, 1 + current.codePointCount(0, index));
            }
            line++;
            column = 1;
        }
        return at(position);
    }

    /**
     * Where arrays and tables first nest deeper than {@code maxDepth}, or {@code null} when they
     * never do. Skips comments and strings, so brackets inside them do not count; an
     * approximation of TOML's grammar that errs only for files far deeper than any configuration.
     */
    Location firstNestingBeyond(int maxDepth) {
        int depth = 0;
        int line = 1;
        int lineStart = 0;
        int index = 0;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == '\n') {
                line++;
                lineStart = index + 1;
                index++;
            } else if (c == '#') {
                index = endOfLine(index);
            } else if (text.startsWith("\"\"\"", index) || text.startsWith("'''", index)) {
                String delimiter = text.substring(index, index + 3);
                int end = closing(text, delimiter, index + 3, text.length());
                for (int at = index; at < end; at++) {
                    if (text.charAt(at) == '\n') {
                        line++;
                        lineStart = at + 1;
                    }
                }
                index = end;
            } else if (c == '"' || c == '\'') {
                index = closing(text, String.valueOf(c), index + 1, endOfLine(index));
            } else {
                if (c == '[' || c == '{') {
                    depth++;
                    if (depth > maxDepth) {
                        return at(line, 1 + text.codePointCount(lineStart, index));
                    }
                } else if ((c == ']' || c == '}') && depth > 0) {
                    depth--;
                }
                index++;
            }
        }
        return null;
    }

    private int endOfLine(int index) {
        int end = text.indexOf('\n', index);
        return end < 0 ? text.length() : end;
    }

    /**
     * The index after the {@code delimiter} that closes a string of {@code text}, skipping escapes
     * in basic strings; {@code limit} if none.
     */
    static int closing(String text, String delimiter, int from, int limit) {
        boolean escapes = delimiter.charAt(0) == '"';
        int index = from;
        while (index < limit) {
            if (escapes && text.charAt(index) == '\\') {
                index += 2;
            } else if (text.startsWith(delimiter, index)) {
                return Math.min(index + delimiter.length(), text.length());
            } else {
                index++;
            }
        }
        return Math.min(limit, text.length());
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == ',' || c == '\r';
    }

    /** The char offset of a 1-based column, which tomlj counts in code points. */
    private static int offsetOfColumn(String line, int column) {
        int codePoints = Math.max(column - 1, 0);
        if (codePoints >= line.codePointCount(0, line.length())) {
            return line.length();
        }
        return line.offsetByCodePoints(0, codePoints);
    }
}
