package dev.l7splice.agent.sources;

/**
 * Where a source's resolver says why the JDK's code runs instead (the transfer hook counts the reason
 * and names it once at debug level). Keeps this package free of the hook and its counters.
 */
public interface Fallbacks {

    /** Counts {@code reason}; returns the hook's "not handled". */
    long fallback(String reason);

    /**
     * An end of a type the agent does not take: counted under {@code prefix + type} (for example
     * {@code source-unsupported:java.io.DataInputStream}); {@code prefix} without a trailing ':' is used as it is.
     */
    long unsupported(String prefix, Class<?> type);

    /** A resolver refused: counted, and named once at debug level with its {@code detail}. */
    void refuse(String reason, String detail);
}
