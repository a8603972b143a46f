package dev.l7splice.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads an HTTP head (request or response) byte by byte, up to and including CRLF CRLF, so nothing after it is taken. */
public final class RequestHead {

    private RequestHead() {
    }

    public static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("end of stream in a head");
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toByteArray();
    }

    /** The same head as text (ISO-8859-1: one char per byte), e.g. to split the request line. */
    public static String readText(InputStream in) throws IOException {
        return new String(read(in), StandardCharsets.ISO_8859_1);
    }
}
