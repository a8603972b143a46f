package io.helidon.webserver.http1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The miniature response stream's wire bytes: a head, a chunk, a concatenation. */
final class Wire {

    private Wire() {
    }

    static byte[] head(String framing) {
        return ("HTTP/1.1 200 OK\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] chunk(byte[] data) {
        return concat(concat((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), data),
                "\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
