package dev.anycastd.cabourotte;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One check result as Cabourotte serves it ({@code GET /result/{name}}) and as its HTTP exporter
 * pushes it. Only what decides health is kept. Parsing is strict where health depends on it
 * ({@code name} must be text, {@code success} a boolean) and tolerant elsewhere: {@code duration}
 * (float seconds up to v1.12, integer milliseconds from v1.13), {@code summary} (any JSON),
 * {@code labels} and unknown fields are ignored.
 *
 * @param name the check's name
 * @param success whether the check passed
 * @param message Cabourotte's message; empty when it sent none
 * @param ranAt {@code healthcheck-timestamp}, when the check last ran, if sent
 */
record CabourotteResult(String name, boolean success, String message, Optional<Instant> ranAt) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Two "success" fields would leave health to whichever the parser kept.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Loads the JSON parser now. Cold, it takes some 400 ms, which would otherwise be spent
     * inside the first read's timeout; checks call this when they are configured.
     */
    static void load() {
        try {
            parse("{\"name\":\"\",\"success\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (MalformedException e) {
            throw new IllegalStateException("the JSON parser refuses a valid result", e);
        }
    }

    CabourotteResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(ranAt, "ranAt");
    }

    /** Thrown when a body is not a result; the message says what is wrong with it. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Parses a body holding one result as a JSON object. */
    static CabourotteResult parse(byte[] body) throws MalformedException {
        JsonNode tree = tree(body);
        return of(tree);
    }

    /**
     * Parses the body Cabourotte's HTTP exporter {@code POST}s: a JSON array of one or more
     * results, each read as strictly as {@link #parse}. One bad item rejects the whole body.
     */
    static List<CabourotteResult> parseList(byte[] body) throws MalformedException {
        JsonNode tree = tree(body);
        if (tree == null || !tree.isArray()) {
            throw new MalformedException("expected a JSON array of results, got " + kind(tree), null);
        }
        if (tree.isEmpty()) {
            throw new MalformedException("the array holds no result", null);
        }
        List<CabourotteResult> results = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            try {
                results.add(of(tree.get(i)));
            } catch (MalformedException e) {
                throw new MalformedException("result [" + i + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(results);
    }

    /** One item of {@code GET /result}'s array: a valid result, or why it is not one. */
    sealed interface Listed {
        /** A valid result. */
        record Valid(CabourotteResult result) implements Listed {
        }

        /** An item that names a check but is not a valid result; {@code problem} says why. */
        record Malformed(String problem) implements Listed {
        }
    }

    /**
     * Parses {@code GET /result}'s body, a JSON array of results, into each check's name and its
     * item (an item without a text name is left out: it belongs to no check).
     */
    static Map<String, Listed> parseAll(byte[] body) throws MalformedException {
        JsonNode tree = tree(body);
        if (tree == null || !tree.isArray()) {
            throw new MalformedException("expected a JSON array of results, got " + kind(tree), null);
        }
        Map<String, Listed> results = new HashMap<>();
        for (JsonNode item : tree) {
            try {
                CabourotteResult result = of(item);
                results.put(result.name(), new Listed.Valid(result));
            } catch (MalformedException e) {
                JsonNode name = item.get("name");
                if (name != null && name.isTextual()) {
                    results.put(name.asText(), new Listed.Malformed(e.getMessage()));
                }
            }
        }
        return results;
    }

    /** Reads one result from a parsed JSON value, e.g. an item of {@code GET /result}'s array. */
    static CabourotteResult of(JsonNode node) throws MalformedException {
        if (node == null || !node.isObject()) {
            throw new MalformedException("expected a JSON object, got " + kind(node), null);
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
            throw new MalformedException("\"name\" must be text, got " + kind(name), null);
        }
        JsonNode success = node.get("success");
        if (success == null || !success.isBoolean()) {
            throw new MalformedException("\"success\" must be true or false, got " + kind(success), null);
        }
        JsonNode message = node.get("message");
        String text = message == null || message.isNull() ? "" : message.isTextual() ? message.asText() : message.toString();
        return new CabourotteResult(name.asText(), success.booleanValue(), text, timestamp(node.get("healthcheck-timestamp")));
    }

    private static JsonNode tree(byte[] body) throws MalformedException {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Unix seconds, integer or not; anything else is ignored here and rejected only where max-age needs it. */
    private static Optional<Instant> timestamp(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return Optional.empty();
        }
        try {
            BigDecimal seconds = value.decimalValue();
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Optional.of(Instant.ofEpochSecond(whole, nanos));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "text";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
