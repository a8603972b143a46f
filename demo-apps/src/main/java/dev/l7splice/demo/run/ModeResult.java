package dev.l7splice.demo.run;

/**
 * One row of the demo's table.
 *
 * @param medianMbps median MB/s (10^6 bytes) of the measured runs
 * @param cpuSecondsPerGb gateway user+system CPU seconds per 10^9 body bytes over the measured runs
 *     (with {@code offload=inprocess} the relay loop runs in the gateway's JVM, so it is in here)
 * @param relayCpuSecondsPerGb the same for the sidecar relay process, NaN when there is none
 * @param bytesSpliced what went through splice(2) during the measured runs, as shown: the agent's
 *     BytesSpliced, or BytesRelayedBySidecar for the sidecar ("-" without the agent)
 * @param agentDetails the agent's (and the relay's) other counters as one line, or null
 */
public record ModeResult(String mode, double medianMbps, double cpuSecondsPerGb, double relayCpuSecondsPerGb,
                         String bytesSpliced, boolean checksumsOk, String agentDetails) {
}
