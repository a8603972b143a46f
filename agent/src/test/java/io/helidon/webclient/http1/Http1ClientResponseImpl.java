package io.helidon.webclient.http1;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.media.ReadableEntityBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test double of the client response: its entity stream asks its readBytes (a method reference, as Helidon's does). */
public final class Http1ClientResponseImpl {

    private final InputStream inputStream;
    private boolean entityFullyRead;

    public Http1ClientResponseImpl(InputStream body) {
        this.inputStream = body;
    }

    /** {@code response.inputStream()}. */
    public InputStream entityStream() {
        return ReadableEntityBase.inputStream(this::readBytes, this::entityFullyRead);
    }

    /** True once the entity reached its end through the library (Helidon then gives the connection back to its cache). */
    public boolean released() {
        return entityFullyRead;
    }

    private BufferData readBytes(int estimate) {
        try {
            byte[] b = new byte[estimate];
            int n = inputStream.read(b, 0, estimate);
            return n < 0 ? null : BufferData.of(java.util.Arrays.copyOf(b, n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void entityFullyRead() {
        entityFullyRead = true;
    }
}
