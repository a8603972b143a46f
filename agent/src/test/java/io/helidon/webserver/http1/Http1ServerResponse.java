package io.helidon.webserver.http1;

import io.helidon.common.socket.SocketWriterDirect;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A miniature of Helidon 4.5's HTTP/1.1 response stream for the agent's unit tests, written from
 * reading its behaviour (not its code): the same class and field names the agent reads, the same
 * decisions (the head goes with the first body bytes; a chunked body's first write is held back and,
 * if it stays the only one, sent with a Content-Length at commit; the declared length checked at each
 * write; counts of body and wire bytes), writing through the direct writer. Single-threaded.
 */
public final class Http1ServerResponse {

    private Http1ServerResponse() {
    }

    /** {@code res.outputStream()}: a fixed-length body when {@code contentLength >= 0}, else chunked; 4 KiB buffer. */
    public static OutputStream outputStream(SocketWriterDirect writer, long contentLength, Object listener) {
        return new ClosingBufferedOutputStream(new BlockingOutputStream(writer, contentLength, listener));
    }

    /** What Helidon does after the handler returns. */
    public static void commit(OutputStream out) throws IOException {
        ClosingBufferedOutputStream s = (ClosingBufferedOutputStream) out;
        s.delegate.flush();
        s.closingDelegate.commit();
    }

    /** The counts a test checks: bytesWritten, responseBytesTotal. */
    public static long[] counts(OutputStream out) {
        BlockingOutputStream b = ((ClosingBufferedOutputStream) out).closingDelegate;
        return new long[] {b.bytesWritten, b.responseBytesTotal};
    }

    static final class ClosingBufferedOutputStream extends OutputStream {
        private final BlockingOutputStream closingDelegate;
        private final OutputStream delegate;

        ClosingBufferedOutputStream(BlockingOutputStream out) {
            this.closingDelegate = out;
            this.delegate = new BufferedOutputStream(out, 4096);
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            closingDelegate.closing = true;
            delegate.close();
        }
    }

    static final class BlockingOutputStream extends OutputStream {
        private final SocketWriterDirect dataWriter;
        private final Object sendListener;
        private final boolean isNoEntityStatus = false;
        private final long contentLength;
        private final boolean isChunked;
        private byte[] firstBuffer;
        private boolean firstByte = true;
        private boolean closed;
        private boolean closing;
        private long bytesWritten;
        private long responseBytesTotal;

        BlockingOutputStream(SocketWriterDirect writer, long contentLength, Object listener) {
            this.dataWriter = writer;
            this.contentLength = contentLength;
            this.isChunked = contentLength < 0;
            this.sendListener = listener;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("Stream already closed");
            }
            byte[] data = Arrays.copyOfRange(b, off, off + len);
            if (!isChunked) {
                bytesWritten += len;
                if (bytesWritten > contentLength) {
                    throw new IOException("Content length was set to " + contentLength);
                }
                send(firstByte ? Wire.concat(Wire.head("Content-Length: " + contentLength), data) : data);
                firstByte = false;
            } else if (firstByte && firstBuffer == null) {
                firstBuffer = data;
            } else if (firstByte) {
                send(Wire.concat(Wire.head("Transfer-Encoding: chunked"), Wire.chunk(Wire.concat(firstBuffer, data))));
                firstByte = false;
                firstBuffer = null;
            } else {
                send(Wire.chunk(data));
            }
        }

        @Override
        public void flush() throws IOException {
            if (!closing && firstByte && firstBuffer != null) {
                write(new byte[0], 0, 0);
            }
        }

        void commit() {
            closed = true;
            if (firstByte) {
                byte[] body = firstBuffer == null ? new byte[0] : firstBuffer;
                send(Wire.concat(Wire.head("Content-Length: " + body.length), body));
            } else if (isChunked) {
                send("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }

        private void send(byte[] wire) {
            responseBytesTotal += wire.length;
            dataWriter.write(wire);
        }
    }
}
