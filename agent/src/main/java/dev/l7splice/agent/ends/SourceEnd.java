package dev.l7splice.agent.ends;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * The origin of one body, seen by the engine: an fd (a connected socket or a regular file), the
 * bytes its owner already holds in user space, its bound, and what to update afterwards. Resolving
 * one touches nothing; {@link #takeHeld} is the first step with an effect. Used on the calling
 * thread only, for one transfer.
 */
public interface SourceEnd {

    /** True for a regular file (sendfile from its own offset), false for a socket (splice). */
    boolean isFile();

    /** The fd to read in the kernel (the owner's; the engine dups it). */
    int fd();

    /** The socket behind a socket source (its SO_TIMEOUT and close state), null for a file. */
    Socket socket();

    /**
     * True for a plain socket stream: no framing of its own and nothing to count afterwards, so a
     * relay may take the body over from its fd. False for a file and for a library's body.
     */
    default boolean relayable() {
        return false;
    }

    /** The most this source can give from here (bytes left in the file, in a fixed-length body), or Long.MAX_VALUE. */
    long bound();

    /**
     * Takes up to {@code max} bytes the owner already read ahead, under the owner's lock, so they go
     * first; the rest stays for the owner. Null when taking them is not possible (a mark is set).
     */
    byte[] takeHeld(long max);

    /** The stream below any buffer, for bytes copied in user space; never reads ahead. */
    InputStream stream();

    /** {@code n} bytes were read from {@link #fd()} in the kernel: bring the owner's counters up to date. */
    default void moved(long n) throws IOException {
    }

    /** The kernel part failed with the body half read: the owner must not reuse the connection. */
    default void failed() {
    }

    /**
     * How many bytes the kernel may read from {@link #fd()} now, reading the source's own framing in
     * user space first when it has any (a chunk's size line; data read along with it is then
     * {@linkplain #takeHeld held}); 0 when that framing says the body has ended. Default: no framing.
     */
    default long span() throws IOException {
        return Long.MAX_VALUE;
    }

    /** The socket ended before the body did (fewer bytes than {@link #span()} promised): fail as the owner would. */
    default void endOfStream() throws IOException {
    }

    /** Where bytes past a sink's declared length are read from, to let the sink's owner reject them: {@code owner} by default. */
    default InputStream remainder(InputStream owner) {
        return owner;
    }

    /** The transfer is over (also after a failure): hand any state back to the owner, whose stream reads on from here. */
    default void finish() {
    }
}
