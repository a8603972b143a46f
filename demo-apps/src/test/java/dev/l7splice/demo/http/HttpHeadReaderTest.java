package dev.l7splice.demo.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpHeadReaderTest {

    private static InputStream stream(String text) {
        return new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsARequestHeadAndLeavesTheBodyInTheStream() throws IOException {
        InputStream in = stream("POST /sink?x=1 HTTP/1.1\r\nHost: a:1\r\nContent-Length: 5\r\nX-Empty:\r\n\r\nhello");
        HttpHead head = HttpHeadReader.read(in);
        assertEquals("POST /sink?x=1 HTTP/1.1", head.startLine());
        assertEquals(List.of(new Header("Host", "a:1"), new Header("Content-Length", "5"), new Header("X-Empty", "")),
                head.headers());
        assertEquals(Optional.of("a:1"), head.first("host"));
        assertEquals(5, head.contentLength());
        assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void toleratesBareLineFeedsAndLeadingEmptyLines() throws IOException {
        HttpHead head = HttpHeadReader.read(stream("\r\nGET / HTTP/1.1\nA: b\n\n"));
        assertEquals("GET / HTTP/1.1", head.startLine());
        assertEquals(Optional.of("b"), head.first("a"));
    }

    @Test
    void endOfStreamBeforeAnyByteMeansNoMessage() throws IOException {
        assertNull(HttpHeadReader.read(stream("")));
    }

    @Test
    void endOfStreamInsideTheHeadIsAnError() {
        assertThrows(EOFException.class, () -> HttpHeadReader.read(stream("GET / HTTP/1.1\r\nHost: x\r\n")));
    }

    @Test
    void rejectsMalformedHeaderLines() {
        assertThrows(HeadParseException.class, () -> HttpHeadReader.read(stream("GET / HTTP/1.1\r\nNoColon\r\n\r\n")));
        assertThrows(HeadParseException.class, () -> HttpHeadReader.read(stream("GET / HTTP/1.1\r\nBad Name: v\r\n\r\n")));
        assertThrows(HeadParseException.class, () -> HttpHeadReader.read(stream("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n")));
        assertThrows(HeadParseException.class, () -> HttpHeadReader.read(stream(" GET / HTTP/1.1\r\n\r\n")));
    }

    @Test
    void rejectsHeadsOver64KiB() {
        String big = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpHeadReader.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThrows(HeadParseException.class, () -> HttpHeadReader.read(stream(big)));
    }

    @Test
    void acceptsAHeadOfExactly64KiB() throws IOException {
        String start = "GET / HTTP/1.1\r\nX: ";
        int fill = HttpHeadReader.MAX_HEAD_BYTES - start.length() - 4;
        HttpHead head = HttpHeadReader.read(stream(start + "a".repeat(fill) + "\r\n\r\n"));
        assertEquals(fill, head.first("X").orElseThrow().length());
    }

    @Test
    void framingHeaders() throws IOException {
        assertEquals(-1, HttpHeadReader.read(stream("GET / HTTP/1.1\r\n\r\n")).contentLength());
        assertTrue(HttpHeadReader.read(stream("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n")).isChunked());
        assertFalse(HttpHeadReader.read(stream("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")).isChunked());
        HttpHead conflicting = HttpHeadReader.read(stream("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
        assertThrows(HeadParseException.class, conflicting::contentLength);
        HttpHead negative = HttpHeadReader.read(stream("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"));
        assertThrows(HeadParseException.class, negative::contentLength);
    }

    @Test
    void encodeWithAndWithoutRoundTrip() throws IOException {
        HttpHead head = HttpHeadReader.read(stream("GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: h\r\n\r\n"))
                .without("connection").with("Connection", "close");
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                new String(head.encode(), StandardCharsets.ISO_8859_1));
    }
}
