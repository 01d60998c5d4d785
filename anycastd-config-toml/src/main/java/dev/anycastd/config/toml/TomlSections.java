package dev.anycastd.config.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Parses a file one table section at a time, so that tomlj's parse tree, about 150 bytes per
 * byte of TOML until tomlj is done, only ever exists for one section: a file of 1,000 services
 * then needs a few MB of heap instead of about 50 MB. The result means the same as tomlj's parse
 * of the whole file, positions included.
 *
 * <p>It answers only where that is plainly so, and {@code null} otherwise, for the caller to
 * parse the whole file instead: every section must parse without an error, no table header may
 * be an array of tables ({@code [[...]]}), no header may repeat another or lie inside another
 * header's table, and no top-level key may be the first part of a header's key. Then sections
 * share only the tables their headers create implicitly, and nothing can be defined twice across
 * them. Every problem of a file is therefore reported by the whole-file parse, as before.
 */
final class TomlSections {

    /** A header of bare keys, the usual form, split without tomlj. */
    private static final Pattern BARE_DOTTED_KEY = Pattern.compile("[ \\t]*[A-Za-z0-9_-]+(?:[ \\t]*\\.[ \\t]*[A-Za-z0-9_-]+)*[ \\t]*");

    /** Deeper than this, the copy below stops (it recurses) and the whole file is parsed, which reports such nesting. */
    private static final int MAX_DEPTH = 100;

    private TomlSections() {
    }

    /** A section nested deeper than {@link #MAX_DEPTH}. */
    private static final class TooDeep extends Exception {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    /** One section of the file: from the start of its header's line (or of the file) to the next header's line. */
    private record Section(int start, int end, int firstLine, List<String> header) {
    }

    /** The whole file's tables, or {@code null} when the file must be parsed as a whole. */
    static TomlParseResult parse(String text) {
        List<Section> sections = sections(text);
        if (sections == null || !headersApart(sections)) {
            return null;
        }
        Table root = new Table();
        for (Section section : sections) {
            TomlParseResult parsed;
            try {
                parsed = Toml.parse(text.substring(section.start(), section.end()));
            } catch (TomlParseError | IllegalArgumentException e) {
                return null;
            }
            if (parsed.hasErrors()) {
                return null;
            }
            Table part;
            try {
                part = copy(parsed, section.firstLine() - 1, 0);
            } catch (TooDeep e) {
                return null;
            }
            if (section.header().isEmpty()) {
                for (String key : part.values.keySet()) {
                    for (Section other : sections) {
                        if (!other.header().isEmpty() && other.header().get(0).equals(key)) {
                            return null;
                        }
                    }
                }
            }
            if (!root.merge(part)) {
                return null;
            }
        }
        return root;
    }

    /**
     * The sections of {@code text}, or {@code null} when it has an array-of-tables header. A header
     * is a {@code [} that starts a line (after blanks) outside any string, array or inline table.
     */
    private static List<Section> sections(String text) {
        List<Section> sections = new ArrayList<>();
        int sectionStart = 0;
        int sectionLine = 1;
        List<String> header = List.of();
        int line = 1;
        int lineStart = 0;
        boolean atLineStart = true;
        int depth = 0;
        int headerOpen = -1;
        int index = 0;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == '\n') {
                line++;
                lineStart = index + 1;
                atLineStart = true;
                index++;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                index++;
                continue;
            }
            if (c == '#') {
                int end = text.indexOf('\n', index);
                index = end < 0 ? text.length() : end;
                continue;
            }
            if (text.startsWith("\"\"\"", index) || text.startsWith("'''", index)) {
                String delimiter = text.substring(index, index + 3);
                int end = SourceText.closing(text, delimiter, index + 3, text.length());
                for (int at = index; at < end; at++) {
                    if (text.charAt(at) == '\n') {
                        line++;
                        lineStart = at + 1;
                    }
                }
                index = end;
            } else if (c == '"' || c == '\'') {
                int endOfLine = text.indexOf('\n', index);
                index = SourceText.closing(text, String.valueOf(c), index + 1, endOfLine < 0 ? text.length() : endOfLine);
            } else if (c == '[' && depth == 0 && atLineStart) {
                if (text.startsWith("[[", index)) {
                    return null;
                }
                sections.add(new Section(sectionStart, lineStart, sectionLine, header));
                sectionStart = lineStart;
                sectionLine = line;
                headerOpen = index;
                depth++;
                index++;
            } else {
                if (c == '[' || c == '{') {
                    depth++;
                } else if ((c == ']' || c == '}') && depth > 0) {
                    depth--;
                    if (depth == 0 && headerOpen >= 0) {
                        header = dottedKey(text.substring(headerOpen + 1, index));
                        if (header == null) {
                            return null;
                        }
                        headerOpen = -1;
                    }
                }
                index++;
            }
            atLineStart = false;
        }
        if (headerOpen >= 0) {
            return null;
        }
        sections.add(new Section(sectionStart, text.length(), sectionLine, header));
        return sections;
    }

    /** A header's key as its parts, or {@code null} when it is not a key. */
    private static List<String> dottedKey(String text) {
        if (BARE_DOTTED_KEY.matcher(text).matches()) {
            List<String> parts = new ArrayList<>();
            for (String part : text.split("\\.", -1)) {
                parts.add(part.strip());
            }
            return List.copyOf(parts);
        }
        try {
            return List.copyOf(Toml.parseDottedKey(text));
        } catch (IllegalArgumentException | TomlParseError e) {
            return null;
        }
    }

    /** Whether no header repeats another or lies inside another's table. */
    private static boolean headersApart(List<Section> sections) {
        Map<String, Object> trie = new HashMap<>();
        Object end = new Object();
        for (Section section : sections) {
            if (section.header().isEmpty()) {
                continue;
            }
            Map<String, Object> node = trie;
            for (String part : section.header()) {
                Object next = node.get(part);
                if (next == end) {
                    return false;
                }
                if (next == null) {
                    next = new HashMap<String, Object>();
                    node.put(part, next);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) next;
                node = child;
            }
            if (!node.isEmpty()) {
                return false;
            }
            // Marks the header's own table as taken, for a later header inside it or equal to it.
            Map<String, Object> parent = trie;
            List<String> header = section.header();
            for (String part : header.subList(0, header.size() - 1)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) parent.get(part);
                parent = child;
            }
            parent.put(header.get(header.size() - 1), end);
        }
        return true;
    }

    /** {@code value} with tomlj's tables and arrays copied, their lines moved down by {@code lines}. */
    private static Object copy(Object value, int lines, int depth) throws TooDeep {
        if (depth > MAX_DEPTH) {
            throw new TooDeep();
        }
        if (value instanceof TomlTable table) {
            return copy(table, lines, depth);
        }
        if (value instanceof TomlArray array) {
            List<Object> values = new ArrayList<>(array.size());
            List<TomlPosition> positions = new ArrayList<>(array.size());
            for (int index = 0; index < array.size(); index++) {
                values.add(copy(array.get(index), lines, depth + 1));
                positions.add(moved(array.inputPositionOf(index), lines));
            }
            return new Array(Collections.unmodifiableList(values), Collections.unmodifiableList(positions));
        }
        return value;
    }

    private static Table copy(TomlTable table, int lines, int depth) throws TooDeep {
        Table copy = new Table();
        for (String key : table.keySet()) {
            List<String> path = List.of(key);
            copy.values.put(key, copy(table.get(path), lines, depth + 1));
            copy.positions.put(key, moved(table.inputPositionOf(path), lines));
        }
        return copy;
    }

    private static TomlPosition moved(TomlPosition position, int lines) {
        return position == null || lines == 0 ? position : TomlPosition.positionAt(position.line() + lines, position.column());
    }

    /** A table of the parsed file; filled while parsing, not changed after. */
    private static final class Table implements TomlParseResult {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, TomlPosition> positions = new HashMap<>();

        /**
         * Adds {@code other}'s keys; a key both have must be a table in both, merged in turn.
         * False for any other key both have (which {@link #parse}'s conditions rule out).
         */
        boolean merge(Table other) {
            for (Map.Entry<String, Object> entry : other.values.entrySet()) {
                String key = entry.getKey();
                Object mine = values.get(key);
                if (mine == null) {
                    values.put(key, entry.getValue());
                    positions.put(key, other.positions.get(key));
                } else if (!(mine instanceof Table table && entry.getValue() instanceof Table theirs && table.merge(theirs))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<TomlParseError> errors() {
            return List.of();
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public boolean isEmpty() {
            return values.isEmpty();
        }

        @Override
        public Set<String> keySet() {
            return Collections.unmodifiableSet(values.keySet());
        }

        @Override
        public Set<List<String>> keyPathSet(boolean includeTables) {
            Set<List<String>> paths = new LinkedHashSet<>();
            entryPathSet(includeTables).forEach(entry -> paths.add(entry.getKey()));
            return paths;
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            return Collections.unmodifiableMap(values).entrySet();
        }

        @Override
        public Set<Map.Entry<List<String>, Object>> entryPathSet(boolean includeTables) {
            Set<Map.Entry<List<String>, Object>> entries = new LinkedHashSet<>();
            for (Map.Entry<String, Object> entry : values.entrySet()) {
                List<String> path = List.of(entry.getKey());
                if (entry.getValue() instanceof Table table) {
                    if (includeTables) {
                        entries.add(Map.entry(path, table));
                    }
                    for (Map.Entry<List<String>, Object> inner : table.entryPathSet(includeTables)) {
                        List<String> joined = new ArrayList<>(path);
                        joined.addAll(inner.getKey());
                        entries.add(Map.entry(List.copyOf(joined), inner.getValue()));
                    }
                } else {
                    entries.add(Map.entry(path, entry.getValue()));
                }
            }
            return entries;
        }

        @Override
        public Object get(List<String> path) {
            Table table = parentOf(path);
            return table == null ? null : table.values.get(path.get(path.size() - 1));
        }

        @Override
        public TomlPosition inputPositionOf(List<String> path) {
            Table table = parentOf(path);
            return table == null ? null : table.positions.get(path.get(path.size() - 1));
        }

        private Table parentOf(List<String> path) {
            if (path.isEmpty()) {
                return null;
            }
            Table table = this;
            for (String key : path.subList(0, path.size() - 1)) {
                if (!(table.values.get(key) instanceof Table inner)) {
                    return null;
                }
                table = inner;
            }
            return table;
        }

        @Override
        public Map<String, Object> toMap() {
            return Collections.unmodifiableMap(values);
        }
    }

    /** An array of the parsed file. tomlj deprecates its containsX methods (TOML 1.0 arrays mix types); they answer "any element". */
    @SuppressWarnings("deprecation")
    private record Array(List<Object> values, List<TomlPosition> positions) implements TomlArray {

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public boolean isEmpty() {
            return values.isEmpty();
        }

        @Override
        public boolean containsStrings() {
            return contains(String.class);
        }

        @Override
        public boolean containsLongs() {
            return contains(Long.class);
        }

        @Override
        public boolean containsDoubles() {
            return contains(Double.class);
        }

        @Override
        public boolean containsBooleans() {
            return contains(Boolean.class);
        }

        @Override
        public boolean containsOffsetDateTimes() {
            return contains(java.time.OffsetDateTime.class);
        }

        @Override
        public boolean containsLocalDateTimes() {
            return contains(java.time.LocalDateTime.class);
        }

        @Override
        public boolean containsLocalDates() {
            return contains(java.time.LocalDate.class);
        }

        @Override
        public boolean containsLocalTimes() {
            return contains(java.time.LocalTime.class);
        }

        @Override
        public boolean containsArrays() {
            return contains(TomlArray.class);
        }

        @Override
        public boolean containsTables() {
            return contains(TomlTable.class);
        }

        /** Whether any element is a {@code type}. */
        private boolean contains(Class<?> type) {
            return values.stream().anyMatch(type::isInstance);
        }

        @Override
        public Object get(int index) {
            return values.get(index);
        }

        @Override
        public TomlPosition inputPositionOf(int index) {
            return positions.get(index);
        }

        @Override
        public List<Object> toList() {
            return values;
        }
    }
}
