package dev.l7splice.demo.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChunkedInputStreamTest {

    private static InputStream stream(String text) {
        return new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void decodesChunksExtensionsAndTrailersAndStopsAfterTheBody() throws IOException {
        InputStream raw = stream("5;ext=1\r\nhello\r\nB\r\n, chunked!!\r\n0\r\nTrailer: x\r\n\r\nNEXT");
        ChunkedInputStream body = new ChunkedInputStream(raw);
        assertEquals("hello, chunked!!", new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
        assertEquals(-1, body.read());
        assertEquals("NEXT", new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void truncatedBodyIsAnEofError() {
        assertThrows(EOFException.class, () -> new ChunkedInputStream(stream("5\r\nhel")).readAllBytes());
        assertThrows(EOFException.class, () -> new ChunkedInputStream(stream("5\r\nhello\r\n")).readAllBytes());
    }

    @Test
    void badFramingIsAParseError() {
        assertThrows(HeadParseException.class, () -> new ChunkedInputStream(stream("zz\r\n")).readAllBytes());
        assertThrows(HeadParseException.class, () -> new ChunkedInputStream(stream("2\r\nabc\r\n0\r\n\r\n")).readAllBytes());
    }
}
