package dev.anycastd.core.spi;

import dev.anycastd.core.prefix.IpPrefix;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only, typed view of one component's options: the table of one prefix or one check in
 * the configuration, e.g. {@code services.dns.checks.cabourotte[1]}.
 *
 * <p>Each getter converts and validates its value and, when the value is wrong, throws a
 * {@link ConfigurationException} naming the full key path, the line where it was written and
 * what was expected. Values are the plain types a configuration holds: {@link String},
 * {@link Long} or {@link Integer}, {@link Double}, {@link Boolean} and {@link List}s of them.
 *
 * <p>Instances are immutable and safe to share.
 */
public final class Options {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * The shortest interval {@link #getInterval} accepts, 100 ms: a check run more often costs CPU
     * (a thousand runs a second is a core) and tells nothing a router could act on sooner.
     */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    /** ISO-8601 as {@link Duration#parse} reads it, parsed here so that no amount can overflow before the bounds apply. */
    private static final Pattern ISO_DURATION = Pattern.compile(
            "([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
            Pattern.CASE_INSENSITIVE);
    private static final BigDecimal LONGEST_DURATION_SECONDS = BigDecimal.valueOf(366L * 24 * 3600);
    private static final String DURATION_HINT = "; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)";

    private final String path;
    private final Location location;
    private final Map<String, Object> values;
    private final Function<String, Location> locations;

    private Options(String path, Location location, Map<String, ?> values, Function<String, Location> locations) {
        this.path = Objects.requireNonNull(path, "path");
        this.location = Objects.requireNonNull(location, "location");
        this.values = new LinkedHashMap<>(values);
        this.locations = Objects.requireNonNull(locations, "locations");
    }

    /**
     * Options built in code, with no file behind them (for embedding and tests).
     *
     * @param path the key path these options are known by in messages
     * @param values option name to value
     */
    public static Options of(String path, Map<String, ?> values) {
        return new Options(path, Location.UNKNOWN, values, key -> Location.UNKNOWN);
    }

    /**
     * Options read from a file, for configuration readers.
     *
     * @param path the key path of the table, e.g. {@code services.dns.checks.cabourotte[1]}
     * @param location where the table starts
     * @param values option name to value, in file order
     * @param locations where each option was written; may answer {@link Location#UNKNOWN}
     */
    public static Options of(String path, Location location, Map<String, ?> values, Function<String, Location> locations) {
        return new Options(path, location, values, locations);
    }

    /** The key path of these options, e.g. {@code services.dns.checks.cabourotte[1]}. */
    public String path() {
        return path;
    }

    /** Where these options start in their file. */
    public Location location() {
        return location;
    }

    /** The option names given, in the order written. */
    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** Whether {@code key} was given. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Rejects every option not in {@code known}, suggesting the closest known name
     * ({@code vfr} → did you mean {@code vrf}?).
     */
    public void requireOnly(Collection<String> known) throws ConfigurationException {
        requireOnly(known, "option");
    }

    /**
     * Like {@link #requireOnly(Collection)}, calling the names {@code noun} in messages
     * ({@code unknown key "intervall"} for a configuration's own tables).
     */
    public void requireOnly(Collection<String> known, String noun) throws ConfigurationException {
        List<ConfigurationException.Problem> problems = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add(problem(key, "unknown " + noun + " " + quote(key) + suggestion(key, known)
                        + "; known: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.Kind.INVALID, problems);
        }
    }

    /** Like {@link #requireOnly(Collection)}. */
    public void requireOnly(String... known) throws ConfigurationException {
        requireOnly(List.of(known));
    }

    /** A required text option. */
    public String getString(String key) throws ConfigurationException {
        return getString(key, null, true);
    }

    /** A text option, or {@code fallback} when not given. */
    public String getString(String key, String fallback) throws ConfigurationException {
        return getString(key, fallback, false);
    }

    private String getString(String key, String fallback, boolean required) throws ConfigurationException {
        Object value = lookup(key, required);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw error(key, "expected text, got " + describe(value));
        }
        return text;
    }

    /** An integer option, or {@code fallback} when not given. */
    public int getInt(String key, int fallback) throws ConfigurationException {
        Object value = lookup(key, false);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Long || value instanceof Integer)) {
            throw error(key, "expected an integer, got " + describe(value));
        }
        long number = ((Number) value).longValue();
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw error(key, number + " is out of range");
        }
        return (int) number;
    }

    /** A boolean option, or {@code fallback} when not given. */
    public boolean getBoolean(String key, boolean fallback) throws ConfigurationException {
        Object value = lookup(key, false);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            throw error(key, "expected true or false, got " + describe(value));
        }
        return bool;
    }

    /**
     * A positive duration of at most a year, or {@code fallback} when not given. Accepts a
     * number of seconds ({@code 1}, {@code 0.5}) or text: {@code 500ms}, {@code 2s},
     * {@code 1.5s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT5S}); every form has the same
     * bounds and the same errors.
     */
    public Duration getDuration(String key, Duration fallback) throws ConfigurationException {
        Object value = lookup(key, false);
        if (value == null) {
            return fallback;
        }
        BigDecimal seconds;
        if (value instanceof Long || value instanceof Integer) {
            seconds = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double number && Double.isFinite(number)) {
            seconds = BigDecimal.valueOf(number);
        } else if (value instanceof String text) {
            seconds = parseSeconds(key, text.strip());
        } else if (value instanceof Double) {
            throw error(key, quoteDuration(value) + " is not a duration" + DURATION_HINT);
        } else {
            throw error(key, "expected a duration, got " + describe(value) + DURATION_HINT);
        }
        if (seconds.compareTo(LONGEST_DURATION_SECONDS) > 0) {
            throw error(key, quoteDuration(value) + " is out of range; at most a year");
        }
        // Below a nanosecond a positive amount is still nothing.
        if (seconds.movePointRight(9).compareTo(BigDecimal.ONE) < 0) {
            throw error(key, quoteDuration(value) + " is not a positive duration" + DURATION_HINT);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /**
     * How often something runs, or {@code fallback} when not given: a duration as
     * {@link #getDuration} reads it, of at least {@link #MIN_INTERVAL}.
     */
    public Duration getInterval(String key, Duration fallback) throws ConfigurationException {
        Duration interval = getDuration(key, fallback);
        if (has(key) && interval.compareTo(MIN_INTERVAL) < 0) {
            throw error(key, quoteDuration(values.get(key)) + " is shorter than 100ms, the shortest interval; use 100ms or more");
        }
        return interval;
    }

    /**
     * A duration as an operator writes it and {@link #getDuration} reads it back: {@code 250ms}
     * below a second, else seconds ({@code 5s}, {@code 1.5s}, {@code 120s}).
     */
    public static String format(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 && duration.getNano() % 1_000_000 == 0) {
            return duration.toMillis() + "ms";
        }
        return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros().toPlainString() + "s";
    }

    /** A required IP prefix option; a bare address is a host route. */
    public IpPrefix getPrefix(String key) throws ConfigurationException {
        return toPrefix(key, getString(key));
    }

    /** An IP prefix option, or {@code fallback} when not given. */
    public IpPrefix getPrefix(String key, IpPrefix fallback) throws ConfigurationException {
        String text = getString(key, null);
        return text == null ? fallback : toPrefix(key, text);
    }

    /** A file system path option, or {@code fallback} when not given. */
    public Path getPath(String key, Path fallback) throws ConfigurationException {
        String text = getString(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                throw new InvalidPathException(text, "empty or contains NUL");
            }
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw error(key, quote(text) + " is not a file path");
        }
    }

    /** A list of texts, or {@code fallback} when not given. */
    public List<String> getStringList(String key, List<String> fallback) throws ConfigurationException {
        Object value = lookup(key, false);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof List<?> list)) {
            throw error(key, "expected a list of texts, got " + describe(value));
        }
        List<String> texts = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw error(key, "expected a list of texts, but it holds " + describe(item));
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }

    /** The raw value of {@code key}, for types the getters do not cover. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * A configuration error about {@code key}: its full key path, the line it was written on
     * (or these options' line when it was not given) and {@code message}, which should say
     * what was expected: {@code "\"a b\" is not a VRF name; use letters, digits, '-', '_', '.'"}.
     */
    public ConfigurationException error(String key, String message) {
        return new ConfigurationException(ConfigurationException.Kind.INVALID, List.of(problem(key, message)));
    }

    /** Where {@code key} was written; these options' own location when it was not given. */
    public Location locationOf(String key) {
        Location at = values.containsKey(key) ? locations.apply(key) : location;
        return at == null ? Location.UNKNOWN : at;
    }

    /** The full key path of one of these options. */
    public String pathOf(String key) {
        return path.isEmpty() ? pathSegment(key) : path + "." + pathSegment(key);
    }

    /**
     * One key of a key path as messages write it: a bare key ({@code vrf}, {@code route-map}) as
     * it is, any other in quotes as TOML writes it ({@code "dns v4"}).
     */
    public static String pathSegment(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : quote(key);
    }

    /**
     * A value in double quotes, as messages show what the operator wrote: quotes, backslashes and
     * what is not printable are escaped as TOML would ({@code \"}, {@code \\}, {@code \n},
     * {@code \u0007}), everything else (accents too) is kept, so a message stays on one line.
     */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(codePoint -> {
            switch (codePoint) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (isPrintable(codePoint)) {
                        quoted.appendCodePoint(codePoint);
                    } else {
                        quoted.append(String.format(Locale.ROOT, codePoint > 0xFFFF ? "\\U%08X" : "\\u%04X", codePoint));
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }

    /**
     * Whether text can stand in a one-line message as it is: no control, format, unassigned or
     * private-use characters, no line or paragraph separators.
     */
    public static boolean isPrintable(String text) {
        return text.codePoints().allMatch(Options::isPrintable);
    }

    private static boolean isPrintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * What a configuration value is, for "expected X, got Y" messages: {@code text "a b"},
     * {@code integer 5}, {@code number 0.5}, {@code boolean true}, {@code a list}, {@code a table}.
     * Lists and maps are the plain Java forms {@link #of(String, Map)} takes.
     */
    public static String describe(Object value) {
        if (value instanceof String text) {
            return "text " + quote(text);
        }
        if (value instanceof Long || value instanceof Integer) {
            return "integer " + value;
        }
        if (value instanceof Double) {
            return "number " + value;
        }
        if (value instanceof Boolean) {
            return "boolean " + value;
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a table";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private ConfigurationException.Problem problem(String key, String message) {
        return new ConfigurationException.Problem(pathOf(key), locationOf(key), message);
    }

    private Object lookup(String key, boolean required) throws ConfigurationException {
        Object value = values.get(key);
        if (value == null && required) {
            throw error(key, "required option \"" + key + "\" is missing");
        }
        return value;
    }

    private IpPrefix toPrefix(String key, String text) throws ConfigurationException {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** Seconds, exactly, of a duration written as text. */
    private BigDecimal parseSeconds(String key, String text) throws ConfigurationException {
        Matcher matcher = DURATION_TEXT.matcher(text);
        if (matcher.matches()) {
            BigDecimal amount = new BigDecimal(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> millis(key, text, amount);
                case "s" -> amount;
                case "m" -> amount.multiply(BigDecimal.valueOf(60));
                default -> amount.multiply(BigDecimal.valueOf(3600));
            };
        }
        if (text.matches("[0-9]+(\\.[0-9]+)?")) {
            return new BigDecimal(text);
        }
        Matcher iso = ISO_DURATION.matcher(text);
        if (iso.matches() && (iso.group(2) != null || iso.group(3) != null)
                && (iso.group(3) == null || iso.group(4) != null || iso.group(5) != null || iso.group(6) != null)) {
            BigDecimal seconds = amount(iso.group(2), 24 * 3600)
                    .add(amount(iso.group(4), 3600))
                    .add(amount(iso.group(5), 60))
                    .add(amount(iso.group(6), 1));
            if (iso.group(7) != null && !iso.group(7).isEmpty()) {
                BigDecimal fraction = new BigDecimal("0." + iso.group(7));
                seconds = seconds.add(iso.group(6).startsWith("-") ? fraction.negate() : fraction);
            }
            return iso.group(1).equals("-") ? seconds.negate() : seconds;
        }
        throw error(key, quote(text) + " is not a duration" + DURATION_HINT);
    }

    /** {@code number} (an ISO-8601 component, may be signed or absent) times {@code unit} seconds. */
    private static BigDecimal amount(String number, long unit) {
        return number == null ? BigDecimal.ZERO : new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
    }

    private BigDecimal millis(String key, String text, BigDecimal amount) throws ConfigurationException {
        if (amount.stripTrailingZeros().scale() > 0) {
            throw error(key, quote(text) + " has a fraction of a millisecond; use whole milliseconds");
        }
        return amount.movePointLeft(3);
    }

    /** A duration's value as written, quoted: {@code "500ms"}, {@code "0.000001"}, {@code "inf"}. */
    private static String quoteDuration(Object value) {
        if (value instanceof Double number) {
            if (number.isNaN()) {
                return "\"nan\"";
            }
            if (number.isInfinite()) {
                return number > 0 ? "\"inf\"" : "\"-inf\"";
            }
            return "\"" + (Math.abs(number) >= 1e15 ? number.toString()
                    : BigDecimal.valueOf(number).stripTrailingZeros().toPlainString()) + "\"";
        }
        return quote(String.valueOf(value));
    }

    /** {@code " (did you mean \"vrf\"?)"} when a known name is close enough to be a typo, else empty. */
    static String suggestion(String key, Collection<String> known) {
        return known.stream()
                .filter(candidate -> editDistance(key, candidate) <= Math.max(1, Math.min(2, candidate.length() / 3)))
                .min(Comparator.comparingInt(candidate -> editDistance(key, candidate)))
                .map(candidate -> " (did you mean \"" + candidate + "\"?)")
                .orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
