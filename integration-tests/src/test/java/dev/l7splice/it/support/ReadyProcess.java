package dev.l7splice.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process started for a test and waited on until it prints its READY line
 * ({@code READY key=value...}) on stdout. Its stderr goes to {@link #log} and its stdout to another
 * temp file, so a chatty child can never block on a full pipe. The wrappers (JavaProcess,
 * RelayProcess, Sidecar) read the ports they need from {@link #readyLine} with {@link #field}.
 */
public final class ReadyProcess {

    private static final long READY_TIMEOUT_SECONDS = 30;

    public final Process process;
    /** stderr of the child (complete once it has exited). */
    public final Path log;
    public final String readyLine;

    private ReadyProcess(Process process, Path log, String readyLine) {
        this.process = process;
        this.log = log;
        this.readyLine = readyLine;
    }

    /**
     * Starts {@code cmd} and waits up to 30 s for a stdout line starting with {@code READY}; on a
     * timeout or an early exit the child is killed and the IOException carries its stderr.
     * {@code name} names the temp files and the error.
     */
    public static ReadyProcess start(String name, List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("l7it-" + name, ".log");
        Path out = Files.createTempFile("l7it-" + name, ".out");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean alive = p.isAlive(); // read once more after an exit: the line may be there
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (line.startsWith("READY")) {
                    return new ReadyProcess(p, log, line);
                }
            }
            if (!alive) {
                break;
            }
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException(name + " printed no READY line: " + cmd + "\nstderr:\n" + Files.readString(log));
    }

    /** The number after {@code name=} in the READY line, or -1 when the line has no such word. */
    public int field(String name) {
        for (String word : readyLine.split("\\s+")) {
            if (word.startsWith(name + "=")) {
                return Integer.parseInt(word.substring(name.length() + 1));
            }
        }
        return -1;
    }
}
