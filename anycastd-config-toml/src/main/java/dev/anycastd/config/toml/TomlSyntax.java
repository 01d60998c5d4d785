package dev.anycastd.config.toml;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The one place that parses a configuration's text with tomlj, guarding against its known
 * weaknesses: nesting deep enough to overflow its recursion is refused first, errors it throws
 * instead of reporting (tomlj/tomlj#93, #94) become problems, and its "defined twice" messages
 * gain the key path of the first definition. Every syntax problem of the file is reported at
 * once. A file is parsed a section at a time where {@link TomlSections} can do so, otherwise as a
 * whole. {@link ConfigurationReader} then walks the parsed tree against the schema.
 */
final class TomlSyntax {

    /** Far deeper than any configuration, far shallower than what overflows tomlj's recursion (about 1,500). */
    private static final int MAX_NESTING = 100;
    /** tomlj's messages for a key defined twice, which name the key and its first definition. */
    private static final Pattern REDEFINED = Pattern.compile(
            "(.+?) (?:previously defined(?: as a literal array)?|is not a table \\(previously defined) at line (\\d+), column (\\d+)\\)?");

    private final SourceText source;
    private final List<Problem> problems = new ArrayList<>();

    private TomlSyntax(SourceText source) {
        this.source = source;
    }

    /** The parsed file, or every syntax error in it at once, in file order. */
    static TomlParseResult parse(SourceText source) throws ConfigurationException {
        return new TomlSyntax(source).parse();
    }

    private TomlParseResult parse() throws ConfigurationException {
        Location tooDeep = source.firstNestingBeyond(MAX_NESTING);
        if (tooDeep != null) {
            // tomlj parses nesting by recursion and overflows the stack some way beyond this.
            report("", tooDeep, "arrays and tables nested more than " + MAX_NESTING
                    + " levels deep; a configuration needs only a few");
            throw failure(Kind.SYNTAX);
        }
        // Section by section where that means the same, which keeps tomlj's parse tree small.
        TomlParseResult toml = TomlSections.parse(source.text());
        try {
            if (toml == null) {
                toml = Toml.parse(source.text());
            }
        } catch (TomlParseError e) {
            // tomlj 1.1.1 throws, instead of reporting, an invalid escape in a table header's
            // quoted key ([services."dns\a"]); fixed upstream in tomlj/tomlj#93.
            report("", source.at(e.position()), "invalid TOML: " + e.getMessage());
            throw failure(Kind.SYNTAX);
        }
        // Dotted keys nest tables without recursion in tomlj, but the walks below recurse.
        Location tooDeepTree = firstNestingBeyond(toml, MAX_NESTING);
        if (toml.hasErrors()) {
            for (TomlParseError error : toml.errors()) {
                syntaxProblem(tooDeepTree == null ? toml : null, error);
            }
            throw failure(Kind.SYNTAX);
        }
        if (tooDeepTree != null) {
            report("", tooDeepTree, "tables nested more than " + MAX_NESTING + " levels deep; a configuration needs only a few");
            throw failure(Kind.INVALID);
        }
        return toml;
    }

    /** Reports one of tomlj's errors; {@code toml} is where to look for key paths, or null not to. */
    private void syntaxProblem(TomlTable toml, TomlParseError error) {
        Location location = source.at(error.position());
        String message = error.getMessage();
        Matcher redefined = REDEFINED.matcher(message);
        if (redefined.matches() && toml != null) {
            String path = pathOfDefinition(toml, redefined.group(1),
                    Integer.parseInt(redefined.group(2)), Integer.parseInt(redefined.group(3)));
            report(path, location, "invalid TOML: " + message + "; a key may be defined only once");
        } else {
            report("", location, "invalid TOML: " + message);
        }
    }

    /** Where the parsed tree first nests deeper than {@code maxDepth}, or null; iterative, so any depth is safe. */
    private Location firstNestingBeyond(TomlTable toml, int maxDepth) {
        record Node(Object value, int depth, TomlPosition position) {
        }
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(new Node(toml, 0, null));
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (node.depth() > maxDepth) {
                return source.at(node.position());
            }
            if (node.value() instanceof TomlTable table) {
                for (String key : table.keySet()) {
                    pending.push(new Node(table.get(List.of(key)), node.depth() + 1, table.inputPositionOf(List.of(key))));
                }
            } else if (node.value() instanceof TomlArray array) {
                for (int index = 0; index < array.size(); index++) {
                    pending.push(new Node(array.get(index), node.depth() + 1, array.inputPositionOf(index)));
                }
            }
        }
        return null;
    }

    /**
     * The key path of what tomlj's message says was defined first: the deepest entry at that
     * position whose key ends with the dotted key the message names. Empty when not found
     * (tomlj drops an inline table with a duplicate key).
     */
    private static String pathOfDefinition(TomlTable toml, String dottedKey, int line, int column) {
        List<String> key;
        try {
            key = Toml.parseDottedKey(dottedKey);
        } catch (IllegalArgumentException | TomlParseError e) {
            // The message's key only helps to find the path; without it the problem still has its line.
            // tomlj 1.1.1 throws TomlParseError for a bad escape here (tomlj/tomlj#94).
            return "";
        }
        List<String> best = new ArrayList<>();
        findDefinition(toml, new ArrayList<>(), new ArrayList<>(), key, line, column, best);
        return String.join("", best);
    }

    private static void findDefinition(Object node, List<String> names, List<String> segments, List<String> key,
            int line, int column, List<String> best) {
        if (node instanceof TomlTable table) {
            for (String name : table.keySet()) {
                names.add(name);
                segments.add((segments.isEmpty() ? "" : ".") + Options.pathSegment(name));
                TomlPosition position = table.inputPositionOf(List.of(name));
                if (position != null && position.line() == line && position.column() == column
                        && endsWith(names, key) && segments.size() > best.size()) {
                    best.clear();
                    best.addAll(segments);
                }
                findDefinition(table.get(List.of(name)), names, segments, key, line, column, best);
                names.remove(names.size() - 1);
                segments.remove(segments.size() - 1);
            }
        } else if (node instanceof TomlArray array) {
            for (int index = 0; index < array.size(); index++) {
                String last = segments.remove(segments.size() - 1);
                segments.add(last + "[" + index + "]");
                findDefinition(array.get(index), names, segments, key, line, column, best);
                segments.set(segments.size() - 1, last);
            }
        }
    }

    private static boolean endsWith(List<String> names, List<String> key) {
        return names.size() >= key.size() && names.subList(names.size() - key.size(), names.size()).equals(key);
    }

    private void report(String keyPath, Location location, String message) {
        problems.add(new Problem(keyPath, location, message));
    }

    private ConfigurationException failure(Kind kind) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((Problem problem) -> problem.location().line())
                .thenComparingInt(problem -> problem.location().column()));
        return new ConfigurationException(kind, sorted);
    }
}
