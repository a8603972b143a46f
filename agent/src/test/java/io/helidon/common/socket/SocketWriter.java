package io.helidon.common.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Test double with the name and field of Helidon 4.5's connection writer base class; writes straight to the socket. */
public abstract class SocketWriter {

    private final Object socket;

    protected SocketWriter(Object socket) {
        this.socket = socket;
    }

    /** As Helidon's socket write: an I/O error comes out unchecked. */
    public void write(byte[] b) {
        try {
            if (socket instanceof NioSocket nio) {
                ByteBuffer buf = ByteBuffer.wrap(b);
                while (buf.hasRemaining()) {
                    nio.channel().write(buf);
                }
            } else {
                ((PlainSocket) socket).socket().getOutputStream().write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
