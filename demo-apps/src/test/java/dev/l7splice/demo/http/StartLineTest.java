package dev.l7splice.demo.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StartLineTest {

    @Test
    void requestLine() throws HeadParseException {
        RequestLine line = RequestLine.parse("GET /bytes/10?sha=0&x=1 HTTP/1.1");
        assertEquals("GET", line.method());
        assertEquals("/bytes/10", line.path());
        assertEquals("sha=0&x=1", line.query());
        assertTrue(line.hasQueryPair("sha", "0"));
        assertFalse(line.hasQueryPair("x", "0"));
        assertThrows(HeadParseException.class, () -> RequestLine.parse("GET /  HTTP/1.1"));
        assertThrows(HeadParseException.class, () -> RequestLine.parse("get / HTTP/1.1"));
        assertThrows(HeadParseException.class, () -> RequestLine.parse("GET / HTTP/2"));
        assertThrows(HeadParseException.class, () -> RequestLine.parse("GET /"));
    }

    @Test
    void statusLine() throws HeadParseException {
        StatusLine ok = StatusLine.parse("HTTP/1.1 200 OK");
        assertEquals(200, ok.code());
        assertEquals("OK", ok.reason());
        assertEquals(204, StatusLine.parse("HTTP/1.0 204").code());
        assertTrue(StatusLine.parse("HTTP/1.1 100 Continue").isInterim());
        assertFalse(StatusLine.parse("HTTP/1.1 101 Switching Protocols").isInterim());
        assertThrows(HeadParseException.class, () -> StatusLine.parse("HTTP/1.1 20 OK"));
        assertThrows(HeadParseException.class, () -> StatusLine.parse("HTTP/1.1 2000 OK"));
        assertThrows(HeadParseException.class, () -> StatusLine.parse("ICY 200 OK"));
    }
}
