package dev.l7splice.it.support;

import java.io.IOException;
import java.util.List;

/** JVM options for the gateway in each way of running it: no agent, or the agent in an offload mode. */
public final class Modes {

    private Modes() {
    }

    /**
     * "none", "inline", "inprocess" or "sidecar" (the shared sidecar); {@code extra} is appended to
     * the agent arguments (e.g. "splice.min-bytes=0").
     */
    public static List<String> jvmOptions(String mode, String extra) throws IOException, InterruptedException {
        if (mode.equals("none")) {
            return List.of();
        }
        String args = mode.equals("sidecar") ? Sidecar.shared().agentArgs() : "offload=" + mode;
        return List.of(JavaProcess.agent(args + (extra.isEmpty() ? "" : "," + extra)));
    }
}
