package dev.l7splice.agent.jfr;

import dev.l7splice.agent.bootstrap.TransferHook;

/**
 * The agent's JFR events (category {@code dev.l7splice}; settings in {@code l7splice.jfc} at the
 * agent jar's root): {@link TransferEvent} per transfer the agent took, {@link FallbackEvent} per
 * fallback reason (rate-limited). The only class the rest of the agent calls: its signatures hold
 * JDK types only, and it touches no JFR class when the runtime has no {@code jdk.jfr} module (a
 * jlinked image), so the agent works the same there, without events.
 *
 * <p>Cost without a recording: one disabled-event check per transfer and per fallback (JFR makes
 * it a constant once no recording asks for the event), and one volatile read per counter update.
 */
public final class AgentEvents {

    static final boolean JFR_PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private AgentEvents() {
    }

    /** {@code hook}, recording a {@link TransferEvent} around each call it handles when a recording asks for it. */
    public static TransferHook recording(TransferHook hook, String offload) {
        return JFR_PRESENT ? new RecordingTransferHook(hook, offload) : hook;
    }

    /** A transfer left to the JDK's code for {@code reason} (called where the agent counts it). */
    public static void fallback(String reason) {
        if (JFR_PRESENT) {
            FallbackEvents.fallback(reason);
        }
    }
}
