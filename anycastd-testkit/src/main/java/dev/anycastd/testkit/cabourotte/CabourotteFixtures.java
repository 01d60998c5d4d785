package dev.anycastd.testkit.cabourotte;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bodies a real Cabourotte (v1.12.0) returned, captured once and kept as resources next to
 * this class (their README states what each shows). Tests parse them to prove a client reads
 * what the real daemon sends, and compare {@link FakeCabourotte}'s bodies with them.
 */
public final class CabourotteFixtures {

    /** {@code GET /result/dns} while the check passes (200). */
    public static final String RESULT_SUCCESS = "result-success.json";
    /** {@code GET /result/dns} after the check started failing (200). */
    public static final String RESULT_FAILURE = "result-failure.json";
    /** {@code GET /result/nope}, a check that does not exist (404). */
    public static final String RESULT_NOT_FOUND = "result-not-found.json";
    /** {@code GET /result}, every result (200). */
    public static final String RESULT_LIST = "result-list.json";
    /** The body Cabourotte's HTTP exporter POSTs after a passing run. */
    public static final String EXPORTER_PUSH_SUCCESS = "exporter-push-success.json";
    /** The body Cabourotte's HTTP exporter POSTs after a failing run. */
    public static final String EXPORTER_PUSH_FAILURE = "exporter-push-failure.json";

    private CabourotteFixtures() {
    }

    /** Every fixture's file name. */
    public static List<String> names() {
        return List.of(RESULT_SUCCESS, RESULT_FAILURE, RESULT_NOT_FOUND, RESULT_LIST, EXPORTER_PUSH_SUCCESS,
                EXPORTER_PUSH_FAILURE);
    }

    /**
     * The body of one fixture, without the final newline the files end with.
     *
     * @param fileName one of {@link #names()}
     * @throws IllegalArgumentException if there is no such fixture
     */
    public static String read(String fileName) {
        try (InputStream in = CabourotteFixtures.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("no Cabourotte fixture \"" + fileName + "\"; known: " + names());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
