package io.helidon.common.buffers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Test double of Helidon's connection reader: bytes read ahead from the socket in chunks, handed out on request. */
public class DataReader {

    private final InputStream in;
    private byte[] held = new byte[0];

    public DataReader(InputStream in) {
        this.in = in;
    }

    /** Reads one chunk ahead (as Helidon's reader does when it needs data). */
    public void pull() {
        try {
            byte[] b = new byte[8192];
            int n = in.read(b);
            if (n < 0) {
                throw new IllegalStateException("end of stream");
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(held);
            all.write(b, 0, n);
            held = all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int available() {
        return held.length;
    }

    public byte[] readBytes(int len) {
        while (held.length < len) {
            pull();
        }
        byte[] b = Arrays.copyOf(held, len);
        held = Arrays.copyOfRange(held, len, held.length);
        return b;
    }
}
