package dev.l7splice.agent.runtime;

import dev.l7splice.agent.jfr.AgentEvents;
import dev.l7splice.agent.jfr.TransferTally;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the agent has done so far. Updated from application threads, read from JMX and at exit. */
public final class Counters {

    public final LongAdder offloaded = new LongAdder();
    public final LongAdder handedOff = new TransferTally(TransferTally.Role.HANDED_OFF); // the JFR event's counts too
    public final LongAdder relayFailed = new LongAdder();
    /** Virtual threads' transfers the in-process relay moved while the thread parked (no poller to park on). */
    public final LongAdder relayedForVirtualThreads = new LongAdder();
    public final LongAdder bytesBySidecar = new LongAdder();
    public final LongAdder bytesSpliced = new TransferTally(TransferTally.Role.KERNEL_BYTES);
    public final LongAdder bytesCopied = new TransferTally(TransferTally.Role.COPIED_BYTES);
    public final LongAdder bytesFromFiles = new TransferTally(TransferTally.Role.KERNEL_BYTES);
    private final Map<String, LongAdder> fallbacks = new ConcurrentHashMap<>();

    /** Public for the copy-loop pass ({@code instrument.loops}), which counts the loops it leaves. */
    public void fallback(String reason) {
        fallbacks.computeIfAbsent(reason, r -> new LongAdder()).increment();
        AgentEvents.fallback(reason);
    }

    public long fallbacks(String reason) {
        LongAdder a = fallbacks.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** How many distinct reasons have been counted. */
    public int reasons() {
        return fallbacks.size();
    }

    public Map<String, Long> fallbacks() {
        Map<String, Long> out = new TreeMap<>();
        fallbacks.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public String summary() {
        return "offloaded=" + offloaded.sum() + " handedOff=" + handedOff.sum()
                + " relayFailed=" + relayFailed.sum() + " relayedForVirtualThreads=" + relayedForVirtualThreads.sum() + " bytesBySidecar=" + bytesBySidecar.sum() + " bytesSpliced=" + bytesSpliced.sum()
                + " bytesCopied=" + bytesCopied.sum() + " bytesFromFiles=" + bytesFromFiles.sum()
                + " fallbacks=" + fallbacks();
    }
}
