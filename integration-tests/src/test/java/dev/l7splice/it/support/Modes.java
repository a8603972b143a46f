package dev.l7splice.it.support;

import java.io.IOException;
import java.util.List;

/** JVM options for the gateway in each way of running it: no agent, or the agent in an offload mode. */
public final class Modes {

    private Modes() {
    }

    /** Appended to a mode's name: that mode with virtual-threads.poller=off (virtual threads' bodies relayed while they park). */
    public static final String POLLER_OFF = "/poller-off";

    /**
     * "none", "inline", "inprocess" or "sidecar" (the shared sidecar), each optionally followed by
     * {@link #POLLER_OFF}; {@code extra} is appended to the agent arguments (e.g. "splice.min-bytes=0").
     */
    public static List<String> jvmOptions(String mode, String extra) throws IOException, InterruptedException {
        if (mode.equals("none")) {
            return List.of();
        }
        if (mode.endsWith(POLLER_OFF)) {
            String more = "virtual-threads.poller=off" + (extra.isEmpty() ? "" : "," + extra);
            return jvmOptions(mode.substring(0, mode.length() - POLLER_OFF.length()), more);
        }
        String args = mode.equals("sidecar") ? Sidecar.shared().agentArgs() : "offload=" + mode;
        return List.of(JavaProcess.agent(args + (extra.isEmpty() ? "" : "," + extra)));
    }
}
