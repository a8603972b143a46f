package dev.l7splice.demo.run;

/**
 * One row of the demo's table.
 *
 * @param medianMbps median MB/s (10^6 bytes) of the measured runs
 * @param cpuSecondsPerGb gateway user+system CPU seconds per 10^9 body bytes over the measured runs
 * @param bytesSpliced what the agent moved with splice(2) during the measured runs, as shown ("-"
 *     without the agent)
 * @param agentDetails the agent's other counters as one line, or null
 */
public record ModeResult(String mode, double medianMbps, double cpuSecondsPerGb, String bytesSpliced,
                         boolean checksumsOk, String agentDetails) {
}
