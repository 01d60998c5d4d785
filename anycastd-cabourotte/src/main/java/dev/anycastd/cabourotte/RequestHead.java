package dev.anycastd.cabourotte;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The request line and header fields of one HTTP/1.x request.
 *
 * @param method the method, as sent (methods are case-sensitive)
 * @param path the path of the request target, raw (not percent-decoded), without its query
 * @param http11 whether the request is HTTP/1.1 (else HTTP/1.0)
 * @param fields the header fields by lower-case name, each with its values in the order sent
 */
record RequestHead(String method, String path, boolean http11, Map<String, List<String>> fields) {

    RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** The first value of the field {@code name} (in any case), or {@code null}. */
    String first(String name) {
        List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    /** Every value of the field {@code name} (in any case), in the order sent. */
    List<String> all(String name) {
        return fields.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Whether the connection ends after this request: HTTP/1.0 (no keep-alive here), or {@code Connection: close}. */
    boolean closesConnection() {
        return !http11 || hasToken("Connection", "close");
    }

    /** Whether the client waits for {@code 100 Continue} before it sends the body. */
    boolean expectsContinue() {
        return http11 && hasToken("Expect", "100-continue");
    }

    private boolean hasToken(String field, String token) {
        return all(field).stream().flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(item -> item.strip().equalsIgnoreCase(token));
    }
}
