package dev.anycastd.cabourotte;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.x requests, one after the other, from the bytes of one connection as they
 * arrive: first a request's head, then (once the caller chose to read it) its body, framed by
 * {@code Content-Length} or chunked. Both are bounded: a head past {@code maxHeadBytes} and a
 * body past {@code maxBodyBytes} are {@link Step.Malformed} as soon as that is known, never
 * buffered.
 *
 * <p>Not thread-safe: the thread that reads the connection owns it.
 */
final class RequestReader {

    /** What reading gave so far. */
    sealed interface Step {
        /** More bytes are needed. */
        record NeedMore() implements Step {
        }

        /** A request's head is complete; call {@link RequestReader#startBody()} to read its body. */
        record Head(RequestHead head) implements Step {
        }

        /** The body is complete; call {@link RequestReader#reset()} before the next request of the connection. */
        record Body(byte[] bytes) implements Step {
        }

        /**
         * The request cannot be read on: answer it with {@code status} and close the connection.
         *
         * @param kind what was wrong, stable and free of client input
         * @param reason one line for the client, in which client input is {@link RequestReader#printable}
         */
        record Malformed(int status, String kind, String reason) implements Step {
        }
    }

    private static final Step NEED_MORE = new Step.NeedMore();
    /** A chunk-size line: the hexadecimal size and any chunk extensions. */
    private static final int MAX_CHUNK_LINE = 1024;

    private enum Phase { HEAD, HEAD_READ, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, DONE }

    private final int maxHeadBytes;
    private final int maxBodyBytes;

    private Phase phase = Phase.HEAD;
    /** The head so far, or the chunk-size or trailer line so far. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** While reading the head: the length of the current line so far, and the byte before this one. */
    private int lineLength;
    private byte lastByte;
    private RequestHead head;
    private byte[] fixedBody;
    private int fixedRead;
    private final ByteArrayOutputStream chunkedBody = new ByteArrayOutputStream();
    private long chunkLeft;
    private int chunkEndRead;
    private int trailerBytes;

    RequestReader(int maxHeadBytes, int maxBodyBytes) {
        this.maxHeadBytes = maxHeadBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Reads what {@code in} holds of the current request, leaving its position after what was
     * used: after the head (so the body is not read before {@link #startBody()}), or after the
     * body (so the next request stays in {@code in}).
     */
    Step read(ByteBuffer in) {
        return switch (phase) {
            case HEAD -> readHead(in);
            case FIXED -> readFixed(in);
            case CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER -> readChunked(in);
            case HEAD_READ, DONE -> throw new IllegalStateException("nothing to read in phase " + phase);
        };
    }

    /**
     * Starts reading the body that the head just read declares.
     *
     * @return {@link Step.Body} at once for a request without a body, {@link Step.NeedMore}, or
     *     {@link Step.Malformed} for framing that is not valid or a declared length past the bound
     */
    Step startBody() {
        if (phase != Phase.HEAD_READ) {
            throw new IllegalStateException("no head was read");
        }
        List<String> codings = head.all("Transfer-Encoding");
        List<String> lengths = head.all("Content-Length");
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            return new Step.Malformed(400, "framing", "the request has both Transfer-Encoding and Content-Length");
        }
        if (!codings.isEmpty()) {
            String coding = String.join(",", codings).strip().toLowerCase(Locale.ROOT);
            if (!coding.equals("chunked")) {
                return new Step.Malformed(501, "transfer_encoding", "only the chunked transfer coding is understood, got "
                        + printable(String.join(", ", codings)));
            }
            phase = Phase.CHUNK_SIZE;
            line.reset();
            return NEED_MORE;
        }
        long length = 0;
        if (!lengths.isEmpty()) {
            // A list ("5, 5") or repeated fields are accepted only when every value is the same (RFC 9110, 8.6).
            List<String> items = lengths.stream().flatMap(value -> Arrays.stream(value.split(",", -1))).map(String::strip).toList();
            if (!items.stream().allMatch(item -> item.matches("[0-9]{1,18}"))) {
                return new Step.Malformed(400, "length", "Content-Length is not a number: " + printable(String.join(", ", lengths)));
            }
            if (items.stream().map(Long::parseLong).distinct().count() > 1) {
                return new Step.Malformed(400, "length", "Content-Length has differing values: "
                        + printable(String.join(", ", lengths)));
            }
            length = Long.parseLong(items.get(0));
        }
        if (length > maxBodyBytes) {
            return tooLarge();
        }
        fixedBody = new byte[(int) length];
        fixedRead = 0;
        phase = Phase.FIXED;
        return fixedBody.length == 0 ? done(fixedBody) : NEED_MORE;
    }

    /** Gets ready for the next request of the connection, after a {@link Step.Body}. */
    void reset() {
        phase = Phase.HEAD;
        line.reset();
        lineLength = 0;
        lastByte = 0;
        head = null;
        fixedBody = null;
        chunkedBody.reset();
        trailerBytes = 0;
    }

    private Step readHead(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                boolean emptyLine = lineLength == 0 || lineLength == 1 && lastByte == '\r';
                lineLength = 0;
                if (emptyLine && line.size() <= 1) {
                    // Robustness (RFC 9112, 2.2): empty lines before a request line are ignored.
                    line.reset();
                    continue;
                }
                if (emptyLine) {
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    // Without the empty line's CR, if any: the head ends with the last field's line end.
                    return parseHead(new String(bytes, 0, bytes.length - (lastByte == '\r' ? 1 : 0), StandardCharsets.ISO_8859_1));
                }
            } else {
                lineLength++;
            }
            if (line.size() >= maxHeadBytes) {
                return new Step.Malformed(431, "head_size", "the request line and header fields are longer than "
                        + maxHeadBytes + " bytes");
            }
            line.write(b);
            lastByte = b;
        }
        return NEED_MORE;
    }

    private Step parseHead(String text) {
        String[] lines = text.split("\n", -1);
        List<String> stripped = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length - 1; i++) {
            String one = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            for (int j = 0; j < one.length(); j++) {
                char c = one.charAt(j);
                if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                    return malformed("a control character in the request line or a header field");
                }
            }
            stripped.add(one);
        }
        String[] request = stripped.get(0).split(" ", -1);
        if (request.length != 3 || !isToken(request[0]) || request[1].isEmpty()) {
            return malformed("the request line is not \"METHOD TARGET HTTP/1.1\": " + printable(stripped.get(0)));
        }
        for (int j = 0; j < request[1].length(); j++) {
            if (request[1].charAt(j) > 0x7e) {
                return malformed("the request target is not ASCII: " + printable(request[1]));
            }
        }
        boolean http11;
        if (request[2].equals("HTTP/1.1")) {
            http11 = true;
        } else if (request[2].equals("HTTP/1.0")) {
            http11 = false;
        } else if (request[2].matches("HTTP/[0-9]\\.[0-9]")) {
            return new Step.Malformed(505, "version", "only HTTP/1.1 and HTTP/1.0 are understood, got " + printable(request[2]));
        } else {
            return malformed("the request line is not \"METHOD TARGET HTTP/1.1\": " + printable(stripped.get(0)));
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String field : stripped.subList(1, stripped.size())) {
            int colon = field.indexOf(':');
            if (colon <= 0 || !isToken(field.substring(0, colon))) {
                return malformed("a header field is not \"Name: value\": " + printable(field));
            }
            fields.computeIfAbsent(field.substring(0, colon).toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(field.substring(colon + 1).strip());
        }
        head = new RequestHead(request[0], pathOf(request[1]), http11, fields);
        phase = Phase.HEAD_READ;
        return new Step.Head(head);
    }

    /** The path of an origin-form ({@code /p?q}) or absolute-form ({@code http://h/p?q}) target; another target as it is. */
    private static String pathOf(String target) {
        String path = target;
        int scheme = target.indexOf("://");
        if (!target.startsWith("/") && scheme > 0 && target.substring(0, scheme).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            path = slash < 0 || query >= 0 && query < slash ? "/" : target.substring(slash);
        }
        int end = path.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = path.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return path.substring(0, end);
    }

    private Step readFixed(ByteBuffer in) {
        int take = Math.min(in.remaining(), fixedBody.length - fixedRead);
        in.get(fixedBody, fixedRead, take);
        fixedRead += take;
        return fixedRead == fixedBody.length ? done(fixedBody) : NEED_MORE;
    }

    private Step readChunked(ByteBuffer in) {
        while (in.hasRemaining()) {
            switch (phase) {
                case CHUNK_SIZE -> {
                    byte b = in.get();
                    if (b != '\n') {
                        if (line.size() >= MAX_CHUNK_LINE) {
                            return malformed("a chunk-size line is longer than " + MAX_CHUNK_LINE + " bytes");
                        }
                        line.write(b);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    line.reset();
                    String size = (text.endsWith("\r") ? text.substring(0, text.length() - 1) : text).split(";", 2)[0].strip();
                    if (!size.matches("[0-9A-Fa-f]{1,15}")) {
                        return malformed("a chunk size is not hexadecimal: " + printable(size));
                    }
                    chunkLeft = Long.parseLong(size, 16);
                    if (chunkLeft == 0) {
                        phase = Phase.TRAILER;
                    } else if (chunkedBody.size() + chunkLeft > maxBodyBytes) {
                        return tooLarge();
                    } else {
                        phase = Phase.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    byte[] data = new byte[(int) Math.min(in.remaining(), chunkLeft)];
                    in.get(data);
                    chunkedBody.write(data, 0, data.length);
                    int take = data.length;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        phase = Phase.CHUNK_DATA_END;
                        chunkEndRead = 0;
                    }
                }
                case CHUNK_DATA_END -> {
                    byte b = in.get();
                    if (b == '\n') {
                        phase = Phase.CHUNK_SIZE;
                    } else if (b != '\r' || chunkEndRead++ > 0) {
                        return malformed("a chunk's data is not followed by a line end");
                    }
                }
                case TRAILER -> {
                    byte b = in.get();
                    if (++trailerBytes > maxHeadBytes) {
                        return new Step.Malformed(431, "head_size", "the trailer fields are longer than " + maxHeadBytes + " bytes");
                    }
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    boolean empty = line.size() == 0 || line.size() == 1 && line.toByteArray()[0] == '\r';
                    line.reset();
                    if (empty) {
                        return done(chunkedBody.toByteArray());
                    }
                }
                default -> throw new IllegalStateException("not reading a chunked body in phase " + phase);
            }
        }
        return NEED_MORE;
    }

    private Step done(byte[] body) {
        phase = Phase.DONE;
        return new Step.Body(body);
    }

    private Step tooLarge() {
        return new Step.Malformed(413, "size", "the body is larger than " + maxBodyBytes + " bytes");
    }

    private static Step malformed(String reason) {
        return new Step.Malformed(400, "request", reason);
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static int lastIndexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Text from a request as one line for a log or an answer: control characters become spaces, and it is cut at 200 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return text.codePointCount(0, text.length()) > 200 ? out + "…" : out.toString();
    }
}
