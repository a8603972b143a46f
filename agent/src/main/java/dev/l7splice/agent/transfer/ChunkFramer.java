package dev.l7splice.agent.transfer;

import static dev.l7splice.kernel.nativeio.LinuxIo.EAGAIN;

import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 chunk framing around the pieces the engine moves in the kernel into a chunked sink:
 * {@code open(n)} writes the size line before n bytes, the CRLF that ends a chunk is written with
 * the next size line (one write instead of two), and {@link #finish()} writes the last one. The
 * final {@code 0} chunk and trailers are the owner's (it writes them when the response ends).
 * Writes to a private non-blocking fd; the calling thread only.
 */
final class ChunkFramer {

    private final int fd;
    private final SpliceLoop.WritableWait wait;
    private boolean chunkOpen;
    private long overhead;

    ChunkFramer(int fd, SpliceLoop.WritableWait wait) {
        this(fd, wait, false);
    }

    /** {@code chunkOpen}: the owner left its last chunk without its closing CRLF, written here before the first size line. */
    ChunkFramer(int fd, SpliceLoop.WritableWait wait, boolean chunkOpen) {
        this.fd = fd;
        this.wait = wait;
        this.chunkOpen = chunkOpen;
    }

    /** Before {@code n > 0} body bytes: ends the previous chunk, if any, and starts one of n bytes. */
    void open(long n) throws IOException {
        write((chunkOpen ? "\r\n" : "") + Long.toHexString(n) + "\r\n");
        chunkOpen = true;
    }

    /** After the last piece: ends the chunk still open. */
    void finish() throws IOException {
        if (chunkOpen) {
            write("\r\n");
            chunkOpen = false;
        }
    }

    /** Body bytes from user space (read along with a source's framing) as one chunk of their own. */
    void body(byte[] b) throws IOException {
        open(b.length);
        writeAll(fd, b, wait);
    }

    /** Writes all of {@code b} to a non-blocking fd, waiting with {@code wait} while it is full. */
    static void writeAll(int fd, byte[] b, SpliceLoop.WritableWait wait) throws IOException {
        int off = 0;
        while (off < b.length) {
            int w = LinuxIo.write(fd, b, off, b.length - off);
            if (w > 0) {
                off += w;
            } else if (w == -EAGAIN) {
                wait.await(fd);
            } else {
                throw Errno.onWrite(w == 0 ? Errno.EPIPE : -w);
            }
        }
    }

    /** Framing bytes written so far (the owner counts them as bytes on the wire). */
    long overhead() {
        return overhead;
    }

    private void write(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        writeAll(fd, b, wait);
        overhead += b.length;
    }
}
