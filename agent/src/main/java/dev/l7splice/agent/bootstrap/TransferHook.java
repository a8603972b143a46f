package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What inlined advice calls into. Lives on the bootstrap class path (JDK types only) so that advice
 * woven into {@code java.io.InputStream} can see it; the implementation lives in the agent's own
 * class loader.
 */
public interface TransferHook {

    /** Returned by {@link #transferTo} when the hook did not touch either stream. */
    long NOT_HANDLED = -1L;

    /**
     * Moves all of {@code in} to {@code out} if it can prove that safe, returning the byte count
     * exactly as {@link InputStream#transferTo} would; or returns {@link #NOT_HANDLED} before
     * reading or writing anything, and the JDK's own loop runs.
     */
    long transferTo(InputStream in, OutputStream out) throws IOException;

    /**
     * Moves exactly {@code limit} bytes of {@code in} to {@code out} (fewer only at EOF) if it can
     * prove that safe, returning the count; or {@link #NOT_HANDLED} before touching either stream.
     * Leaves both streams usable afterwards (the next request on a keep-alive connection).
     */
    default long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        return NOT_HANDLED;
    }
}
