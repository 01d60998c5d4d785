package dev.anycastd.checks;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP statuses an http check counts as healthy, as the operator wrote them: codes and
 * ranges ({@code [200, 204]}, {@code ["200-299"]}).
 *
 * @param ranges the codes, as inclusive ranges
 * @param text what the operator wrote, for check-config
 */
record StatusCodes(List<Range> ranges, String text) {

    /** The codes from {@code low} to {@code high}, both included. */
    record Range(int low, int high) {
    }

    /** 2xx and 3xx, as HAProxy's and most load balancers' HTTP checks count a server up. */
    static final StatusCodes DEFAULT = new StatusCodes(List.of(new Range(200, 399)), "200-399");

    private static final Pattern RANGE = Pattern.compile("([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?");
    private static final String HINT = "; give codes and ranges from 100 to 599, e.g. [200, 204] or [\"200-299\"]";

    boolean contains(int status) {
        return ranges.stream().anyMatch(range -> status >= range.low() && status <= range.high());
    }

    /** The option {@code key}, or {@link #DEFAULT} when not given. */
    static StatusCodes read(Options options, String key) throws ConfigurationException {
        Object value = options.get(key).orElse(null);
        if (value == null) {
            return DEFAULT;
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        if (items.isEmpty()) {
            throw options.error(key, "no status is given" + HINT);
        }
        List<Range> ranges = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Object item : items) {
            String text = item instanceof Long || item instanceof Integer ? String.valueOf(item) : item instanceof String s ? s.strip() : null;
            Matcher matcher = text == null ? null : RANGE.matcher(text);
            if (matcher == null || !matcher.matches()) {
                throw options.error(key, (item instanceof String s ? Options.quote(s) : Options.describe(item)) + " is not a status"
                        + " or range" + HINT);
            }
            int low = Integer.parseInt(matcher.group(1));
            int high = matcher.group(2) == null ? low : Integer.parseInt(matcher.group(2));
            if (high < low) {
                throw options.error(key, Options.quote(text) + " ends before it starts" + HINT);
            }
            ranges.add(new Range(low, high));
            texts.add(text);
        }
        return new StatusCodes(List.copyOf(ranges), String.join(",", texts));
    }
}
