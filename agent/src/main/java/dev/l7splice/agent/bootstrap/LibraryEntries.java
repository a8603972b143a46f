package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The entries that the prologues woven into library copy helpers call (Commons IO, Guava, Spring,
 * the l7splice-api jar, Apache HttpClient entities): each keeps the library's own behaviour for odd
 * arguments by answering 0 ("run the library's code"), and otherwise asks {@link L7Dispatch}. Same
 * encoding as {@link L7Dispatch#enterTransferTo}: 0 = not handled, else the count plus one.
 * Class-loader contract: loaded by the bootstrap loader, refers to JDK types only; stateless, so
 * any thread may call it.
 */
public final class LibraryEntries {

    private LibraryEntries() {
    }

    /** Commons IO {@code copyLarge(in, out, byte[])}: nulls and an empty buffer get the library's behaviour. */
    public static long commonsCopyLarge(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        if (in == null || buffer == null || buffer.length == 0) {
            return 0L;
        }
        return L7Dispatch.enterTransferTo(in, out);
    }

    /** Commons IO {@code copyLarge(in, out, inputOffset, length, byte[])}; length < 0 means to end of stream. */
    public static long commonsCopyLargeBounded(InputStream in, OutputStream out, long inputOffset, long length,
                                               byte[] buffer) throws IOException {
        if (in == null || buffer == null || buffer.length == 0 || inputOffset > 0 || length == 0) {
            return 0L;
        }
        return length < 0 ? L7Dispatch.enterTransferTo(in, out) : L7Dispatch.enterTransfer(in, out, length);
    }

    /** Guava {@code ByteStreams.copy(in, out)}: a null argument gets Guava's own checkNotNull. */
    public static long guavaCopy(InputStream in, OutputStream out) throws IOException {
        return in == null ? 0L : L7Dispatch.enterTransferTo(in, out);
    }

    /** Spring {@code StreamUtils.copy(in, out)}: flushes {@code out} when handled, as Spring does. */
    public static long springCopy(InputStream in, OutputStream out) throws IOException {
        if (in == null) {
            return 0L; // Spring's own Assert message
        }
        long handled = L7Dispatch.enterTransferTo(in, out);
        if (handled != 0L) {
            out.flush();
        }
        return handled;
    }

    /** Spring {@code StreamUtils.copyRange(in, out, start, end)}: only from a stream already positioned. */
    public static long springCopyRange(InputStream in, OutputStream out, long start, long end) throws IOException {
        // end < 0 or end == Long.MAX_VALUE: Spring's own (odd) behaviour, not ours to change.
        if (in == null || start != 0 || end < 0 || end == Long.MAX_VALUE) {
            return 0L;
        }
        return L7Dispatch.enterTransfer(in, out, end + 1);
    }

    /** The api's {@code L7Splice.offloaded(in, out, n)}: bounded for n >= 0, to end of stream for n < 0. */
    public static long apiOffloaded(InputStream in, OutputStream out, long n) throws IOException {
        if (in == null) {
            return 0L;
        }
        return n < 0 ? L7Dispatch.enterTransferTo(in, out) : L7Dispatch.enterTransfer(in, out, n);
    }

    /**
     * An HttpClient entity's {@code writeTo(out)} with its {@code content} stream: true when the body
     * was moved; the stream is then closed as the library closes it, also after a failure.
     */
    public static boolean httpEntityWriteTo(InputStream content, OutputStream out) throws IOException {
        if (content == null || out == null) {
            return false; // the library's own checks and messages
        }
        long handled;
        try {
            handled = L7Dispatch.enterTransferTo(content, out);
        } catch (IOException | RuntimeException e) {
            try {
                content.close(); // as the library's try-with-resources does
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (handled == 0L) {
            return false;
        }
        content.close();
        return true;
    }
}
