package dev.l7splice.agent.sources.urlconnection;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.FilterInputStream;
import java.io.IOException;

/**
 * The byte count of a JDK {@code MeteredStream} ({@code KeepAliveStream}) that the agent reads
 * for, kept as the stream's own reads keep it: under its lock, and at {@code expected} the stream
 * closes itself, which hands a keep-alive connection back to the JDK's cache. The calling thread only.
 */
final class MeteredCount {

    private final FilterInputStream metered;

    MeteredCount(FilterInputStream metered) {
        this.metered = metered;
    }

    /** {@code n} more bytes of the body were taken from below the stream. */
    void add(long n) {
        try {
            Fields.method(metered.getClass(), "lock", 0).invoke(metered);
            try {
                long count = (long) Fields.get(metered, "count") + n;
                Fields.set(metered, "count", count);
                if (count >= (long) Fields.get(metered, "expected")) {
                    metered.close();
                }
            } finally {
                Fields.method(metered.getClass(), "unlock", 0).invoke(metered);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            AgentLog.debugOnce("httpurlconnection-count", "could not update a response's count: " + e);
        }
    }

    /** The body is half read after a failure: the JDK's client closes the connection instead of reusing it. */
    void closeConnection() {
        try {
            Object client = Fields.get(metered, "hc");
            if (client != null) {
                Fields.method(client.getClass(), "closeServer", 0).invoke(client);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpurlconnection-close", "could not close a half-read connection: " + e);
        }
    }
}
