package dev.l7splice.relay.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HashKeyTest {

    private static final byte[] HEAD = ("GET /videos/42.mp4?start=10 HTTP/1.1\r\nHost: media.example\r\n"
            + "X-User:   alice  \r\nx-user: bob\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void eachKeyReadsItsPartOfTheHead() {
        assertEquals("uri:/videos/42.mp4?start=10", HashKey.parse("uri").of("10.0.0.1", HEAD));
        assertEquals("path:/videos/42.mp4", HashKey.parse("path").of("10.0.0.1", HEAD));
        assertEquals("hdr:alice", HashKey.parse("hdr(x-USER)").of("10.0.0.1", HEAD), "first value, any case, trimmed");
        assertEquals("hdr:media.example", HashKey.parse("hdr(Host)").of("10.0.0.1", HEAD));
        assertEquals("10.0.0.1", HashKey.parse("src").of("10.0.0.1", HEAD));
        assertFalse(HashKey.parse("src").needsHead());
        assertTrue(HashKey.parse("path").needsHead());
    }

    @Test
    void withoutTheKeyTheClientAddressIsUsed() {
        assertEquals("10.0.0.1", HashKey.parse("hdr(Cookie)").of("10.0.0.1", HEAD), "no such header");
        assertEquals("10.0.0.1", HashKey.parse("uri").of("10.0.0.1", null), "no head (a bind)");
        assertEquals("10.0.0.1", HashKey.parse("uri").of("10.0.0.1", "GARBAGE".getBytes()), "no request line");
        byte[] bodyHeader = "GET / HTTP/1.1\r\n\r\nX-User: mallory\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("10.0.0.1", HashKey.parse("hdr(X-User)").of("10.0.0.1", bodyHeader), "nothing past the blank line");
        assertEquals("10.0.0.1", HashKey.parse("hdr(X-User)").of("10.0.0.1",
                "GET / HTTP/1.1\r\nX-User:\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), "an empty value");
    }

    @Test
    void badExpressionsAreNamed() {
        for (String bad : new String[] {"hdr()", "hdr(a b)", "header(Host)", "url", "hdr(Host"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashKey.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
