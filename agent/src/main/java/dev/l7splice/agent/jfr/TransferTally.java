package dev.l7splice.agent.jfr;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter of the agent's ({@code Counters}) that also adds to the calling thread's
 * {@link Record} while {@link RecordingTransferHook} records a transfer on it, so the event gets
 * that transfer's own byte counts, not the JVM's. Updates from other threads (relay loops) only
 * count. Without a recording in progress an update costs one volatile read more.
 */
public final class TransferTally extends LongAdder {

    private static final long serialVersionUID = 1L;

    /** What a counter counts, for the event. */
    public enum Role { KERNEL_BYTES, COPIED_BYTES, HANDED_OFF, OTHER }

    /** One transfer's sums, on the thread that runs it. */
    static final class Record {
        long kernelBytes;
        long copiedBytes;
        long handedOff;
        Record outer;
    }

    private static final ThreadLocal<Record> CURRENT = new ThreadLocal<>();
    /** Transfers being recorded now, on any thread: 0 lets {@link #add} skip the thread-local. */
    private static final AtomicInteger RECORDING = new AtomicInteger();

    private final Role role;

    public TransferTally(Role role) {
        this.role = role;
    }

    @Override
    public void add(long x) {
        super.add(x);
        if (RECORDING.get() > 0) {
            Record r = CURRENT.get();
            if (r != null) {
                switch (role) {
                    case KERNEL_BYTES -> r.kernelBytes += x;
                    case COPIED_BYTES -> r.copiedBytes += x;
                    case HANDED_OFF -> r.handedOff += x;
                    default -> { }
                }
            }
        }
    }

    /** Starts summing this thread's updates (nested calls each get their own). */
    static Record begin() {
        Record r = new Record();
        r.outer = CURRENT.get();
        CURRENT.set(r);
        RECORDING.incrementAndGet();
        return r;
    }

    static void end(Record r) {
        RECORDING.decrementAndGet();
        if (r.outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(r.outer);
        }
    }
}
