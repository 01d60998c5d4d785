package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

    private static final int MAX_HEAD = 256;
    private static final int MAX_BODY = 64;

    private final RequestReader reader = new RequestReader(MAX_HEAD, MAX_BODY);

    @Test
    void readsTheHeadAndStopsBeforeTheBody() {
        ByteBuffer in = bytes("POST /anycastd/cabourotte?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "content-length: 2\r\nX-Twice: a\r\nX-TWICE: b\r\n\r\n[]");

        RequestHead head = head(reader.read(in));

        assertThat(head).isEqualTo(new RequestHead("POST", "/anycastd/cabourotte", true, Map.of("host", List.of("127.0.0.1"),
                "content-type", List.of("application/json"), "content-length", List.of("2"), "x-twice", List.of("a", "b"))));
        assertThat(head.first("Content-Length")).isEqualTo("2");
        assertThat(in.remaining()).as("the body is left for after the caller's decision").isEqualTo(2);
        assertThat(reader.startBody()).isInstanceOf(RequestReader.Step.NeedMore.class);
        assertThat(body(reader.read(in))).isEqualTo("[]");
    }

    @Test
    void readsARequestThatArrivesOneByteAtATime() {
        String request = "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        RequestHead head = null;
        RequestReader.Step step = null;
        for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
            step = reader.read(ByteBuffer.wrap(new byte[] {b}));
            if (step instanceof RequestReader.Step.Head read) {
                head = read.head();
                assertThat(reader.startBody()).isInstanceOf(RequestReader.Step.NeedMore.class);
            }
        }

        assertThat(head.path()).isEqualTo("/p");
        assertThat(body(step)).isEqualTo("hello");
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailersOneByteAtATime() {
        ByteBuffer in = bytes("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        head(reader.read(in));
        assertThat(reader.startBody()).isInstanceOf(RequestReader.Step.NeedMore.class);

        RequestReader.Step step = null;
        for (byte b : "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) {
            step = reader.read(ByteBuffer.wrap(new byte[] {b}));
        }

        assertThat(body(step)).isEqualTo("hello, world");
    }

    @Test
    void leavesTheNextRequestOfTheConnectionInTheBuffer() {
        ByteBuffer in = bytes("POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nxGET /b HTTP/1.1\r\n\r\n");
        head(reader.read(in));
        reader.startBody();
        assertThat(body(reader.read(in))).isEqualTo("x");

        reader.reset();

        RequestHead next = head(reader.read(in));
        assertThat(next.method()).isEqualTo("GET");
        assertThat(next.path()).isEqualTo("/b");
        assertThat(body(reader.startBody())).as("no Content-Length: an empty body").isEmpty();
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLineAndAcceptsBareLineFeeds() {
        RequestHead head = head(reader.read(bytes("\r\n\nPOST /p HTTP/1.0\nHost: h\n\n")));

        assertThat(head.path()).isEqualTo("/p");
        assertThat(head.first("host")).isEqualTo("h");
        assertThat(head.closesConnection()).as("HTTP/1.0").isTrue();
    }

    @Test
    void takesThePathOfAnAbsoluteTarget() {
        assertThat(head(reader.read(bytes("POST http://127.0.0.1:9014/anycastd/cabourotte?q HTTP/1.1\r\n\r\n"))).path())
                .isEqualTo("/anycastd/cabourotte");
    }

    @Test
    void saysWhenTheClientClosesOrWaitsForContinue() {
        RequestHead head = head(reader.read(bytes("POST /p HTTP/1.1\r\nConnection: keep-alive, Close\r\nExpect: 100-continue\r\n\r\n")));

        assertThat(head.closesConnection()).isTrue();
        assertThat(head.expectsContinue()).isTrue();
    }

    @Test
    void refusesARequestLineOrHeaderFieldThatIsNotValidWith400() {
        assertThat(malformed("POST  /p HTTP/1.1\r\n\r\n")).isEqualTo(new RequestReader.Step.Malformed(400, "request",
                "the request line is not \"METHOD TARGET HTTP/1.1\": POST  /p HTTP/1.1"));
        assertThat(malformed("POST /p HTTP/1.1\r\nHost : h\r\n\r\n").reason())
                .isEqualTo("a header field is not \"Name: value\": Host : h");
        assertThat(malformed("POST /p HTTP/1.1\r\nX-A: a\r\n folded\r\n\r\n").status()).as("obsolete line folding").isEqualTo(400);
        assertThat(malformed("POST /p HTTP/1.1\r\nX-A: a\rb\r\n\r\n").reason())
                .isEqualTo("a control character in the request line or a header field");
        assertThat(malformed("POST /caf\u00e9 HTTP/1.1\r\n\r\n").reason()).isEqualTo("the request target is not ASCII: /caf\u00e9");
        assertThat(malformed("POST /p HTTP/2.0\r\n\r\n")).isEqualTo(new RequestReader.Step.Malformed(505, "version",
                "only HTTP/1.1 and HTTP/1.0 are understood, got HTTP/2.0"));
    }

    @Test
    void refusesAHeadLongerThanTheBoundWith431BeforeItEnds() {
        RequestReader.Step step = reader.read(bytes("POST /p HTTP/1.1\r\nX-Long: " + "x".repeat(MAX_HEAD)));

        assertThat(step).isEqualTo(new RequestReader.Step.Malformed(431, "head_size",
                "the request line and header fields are longer than 256 bytes"));
    }

    @Test
    void refusesADeclaredLengthPastTheBoundWith413BeforeAnyOfTheBody() {
        head(reader.read(bytes("POST /p HTTP/1.1\r\nContent-Length: 65\r\n\r\n")));

        assertThat(reader.startBody()).isEqualTo(new RequestReader.Step.Malformed(413, "size", "the body is larger than 64 bytes"));
    }

    @Test
    void refusesAChunkedBodyPastTheBoundWith413AsSoonAsAChunkSizeSaysSo() {
        ByteBuffer in = bytes("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + "x".repeat(32) + "\r\n21\r\n");
        head(reader.read(in));
        reader.startBody();

        assertThat(reader.read(in)).isEqualTo(new RequestReader.Step.Malformed(413, "size", "the body is larger than 64 bytes"));
    }

    @Test
    void refusesFramingThatIsNotValid() {
        assertThat(startBody("Content-Length: 1x\r\n")).isEqualTo(new RequestReader.Step.Malformed(400, "length",
                "Content-Length is not a number: 1x"));
        assertThat(startBody("Content-Length: -1\r\n")).isEqualTo(new RequestReader.Step.Malformed(400, "length",
                "Content-Length is not a number: -1"));
        assertThat(startBody("Content-Length: 5\r\nContent-Length: 6\r\n")).isEqualTo(new RequestReader.Step.Malformed(400,
                "length", "Content-Length has differing values: 5, 6"));
        assertThat(startBody("Content-Length: 2, 2\r\n")).as("the same value twice").isInstanceOf(RequestReader.Step.NeedMore.class);
        assertThat(startBody("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n")).isEqualTo(new RequestReader.Step.Malformed(
                400, "framing", "the request has both Transfer-Encoding and Content-Length"));
        assertThat(startBody("Transfer-Encoding: gzip, chunked\r\n")).isEqualTo(new RequestReader.Step.Malformed(501,
                "transfer_encoding", "only the chunked transfer coding is understood, got gzip, chunked"));
    }

    @Test
    void refusesAChunkedBodyThatIsNotValidWith400() {
        ByteBuffer in = bytes("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        head(reader.read(in));
        reader.startBody();

        assertThat(reader.read(in)).isEqualTo(new RequestReader.Step.Malformed(400, "request", "a chunk size is not hexadecimal: zz"));
    }

    @Test
    void makesClientTextPrintableOnOneLine() {
        assertThat(RequestReader.printable("a\nb\u0000c")).isEqualTo("a b c");
        assertThat(RequestReader.printable("x".repeat(300))).hasSize(201).endsWith("…");
    }

    private RequestReader.Step.Malformed malformed(String request) {
        return (RequestReader.Step.Malformed) reader.read(bytes(request));
    }

    private RequestReader.Step startBody(String fields) {
        RequestReader fresh = new RequestReader(MAX_HEAD, MAX_BODY);
        head(fresh.read(bytes("POST /p HTTP/1.1\r\n" + fields + "\r\n")));
        return fresh.startBody();
    }

    private static RequestHead head(RequestReader.Step step) {
        assertThat(step).isInstanceOf(RequestReader.Step.Head.class);
        return ((RequestReader.Step.Head) step).head();
    }

    private static String body(RequestReader.Step step) {
        assertThat(step).isInstanceOf(RequestReader.Step.Body.class);
        return new String(((RequestReader.Step.Body) step).bytes(), StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
