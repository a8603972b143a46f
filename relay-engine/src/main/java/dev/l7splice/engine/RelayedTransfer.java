package dev.l7splice.engine;

import dev.l7splice.kernel.PipeLease;
import java.io.IOException;

/**
 * One body being relayed: source fd -> pipe -> destination fd, until the source's end of stream.
 * Owns its two fds (private dups) and, while bytes are in flight, one pipe; the two directions of
 * one connection may instead share the connection's two fds (see {@link RelayLoop#startNow}), and
 * the last of them to end closes them. Thread contract: after
 * {@link RelayLoop#submit} every field is touched only by that loop's thread.
 */
public final class RelayedTransfer {

    /** Told once, on the loop thread, how the transfer ended. */
    public interface Completion {
        void done(RelayedTransfer t, long bytes);

        void failed(RelayedTransfer t, IOException cause);
    }

    /** Flag: once the source's end of stream is delivered, shut the destination's output down. */
    public static final int SHUTDOWN_OUTPUT_AT_EOF = 1;

    /**
     * Flag: this process holds the only reference to both sockets (it accepted or created them and
     * shared them with no other process), so closing them also takes them out of epoll.
     */
    public static final int SOLE_OWNER = 2;

    /**
     * Flag: a failure resets both sockets (an RST to each peer) before the transfer reports it. A
     * hand-off's application has already returned from its copy and cannot pass the error on, so
     * the peers must see it themselves: a clean FIN after a cut body would pass for a whole one.
     */
    public static final int RESET_ON_FAILURE = 4;

    final long id;
    final int srcFd;
    final int dstFd;
    final Completion completion;
    final long startNanos = System.nanoTime();
    /** Bytes to write before anything else: prefix[prefixOff, prefixEnd). */
    byte[] prefix;
    int prefixOff;
    int prefixEnd;
    /** True when {@code prefix} is one of the loop's pooled chunks (given back once written). */
    boolean prefixPooled;
    int flags;
    volatile String state = "queued";

    PipeLease pipe;
    long inPipe;
    volatile long moved;
    Activity activity = new Activity();
    long idleTimeoutNanos = -1; // -1: the loop's own idle timeout
    /** Bytes this transfer may take from its source (the prefix not counted); then it ends, no FIN passed on. */
    long limit = Long.MAX_VALUE;
    /** Bytes taken from the source so far (into the pipe or the user-space buffer). */
    long taken;
    boolean srcEof;
    boolean stopReading;
    boolean finished;
    /** What this transfer waits for on its source and on its destination (epoll events; 0: nothing). */
    int srcWants;
    int dstWants;
    Endpoints.Endpoint src;
    Endpoints.Endpoint dst;

    public RelayedTransfer(long id, int srcFd, int dstFd, Completion completion) {
        this.id = id;
        this.srcFd = srcFd;
        this.dstFd = dstFd;
        this.completion = completion;
    }

    public long id() {
        return id;
    }

    /** Bytes the application already held: written to the destination before anything spliced. */
    public RelayedTransfer withPrefix(byte[] bytes) {
        this.prefix = bytes != null && bytes.length > 0 ? bytes : null;
        this.prefixEnd = prefix == null ? 0 : prefix.length;
        return this;
    }

    public RelayedTransfer withFlags(int flags) {
        this.flags = flags;
        return this;
    }

    /**
     * Shares one activity clock with other transfers (the two directions of one connection): the
     * idle timeout then fires only when none of them moved a byte for that long.
     */
    public RelayedTransfer withActivity(Activity shared) {
        this.activity = shared;
        return this;
    }

    /**
     * Takes at most {@code bytes} from the source and then ends as at end of stream, never asking the
     * kernel for a byte more (a bounded copy: the source connection carries what follows).
     */
    public RelayedTransfer withLimit(long bytes) {
        this.limit = bytes;
        return this;
    }

    /** This transfer's idle timeout instead of the loop's; 0 = none. */
    public RelayedTransfer withIdleTimeout(long millis) {
        this.idleTimeoutNanos = millis * 1_000_000L;
        return this;
    }

    public int srcFd() {
        return srcFd;
    }

    public int dstFd() {
        return dstFd;
    }

    /** "queued", "relaying", "done" or "failed"; for the stats page. */
    public String state() {
        return state;
    }

    public long ageMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Bytes delivered to the destination so far (loop thread; approximate elsewhere). */
    public long moved() {
        return moved;
    }

    /** When bytes last moved; written by loop threads, read by any (volatile). */
    public static final class Activity {
        volatile long lastNanos = System.nanoTime();

        void touch() {
            lastNanos = System.nanoTime();
        }

        public long idleMillis() {
            return (System.nanoTime() - lastNanos) / 1_000_000;
        }
    }
}
