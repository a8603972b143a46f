package dev.l7splice.demo.run;

import dev.l7splice.demo.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A demo server (or the sidecar relay) in its own JVM. Started, it is ready: its READY line has
 * been read ({@code READY port=N} for the demo servers, {@code READY socket=PATH admin=N} for the
 * relay) and the port in it is {@link #port}. Its stdout goes on to {@code <name>.out} (a daemon
 * thread copies it) and its stderr straight to {@code <name>.err}, so the child never blocks on a
 * full pipe. Thread-safe.
 */
public final class ChildProcess {

    private static final String READY = "READY ";
    private static final DaemonThreads PUMPS = new DaemonThreads("child-stdout");

    private final String name;
    private final Process process;
    private final int port;
    private final Path stderrLog;

    private ChildProcess(String name, Process process, int port, Path stderrLog) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.stderrLog = stderrLog;
    }

    /** Starts the command and waits until it prints {@code READY port=N}; destroys it on any failure. */
    public static ChildProcess start(String name, List<String> command, Path logDir, Duration readyTimeout)
            throws IOException, InterruptedException {
        return start(name, command, logDir, readyTimeout, "port");
    }

    /**
     * Starts the command and waits until it prints a READY line with {@code portKey=N} among its
     * {@code key=value} words; destroys it on any failure.
     */
    public static ChildProcess start(String name, List<String> command, Path logDir, Duration readyTimeout,
                                     String portKey) throws IOException, InterruptedException {
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        PUMPS.start(() -> copyStdout(process.getInputStream(), out, portKey, ready));
        try {
            int port = ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChildProcess(name, process, port, err);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            String why = e instanceof TimeoutException ? "no READY line within " + readyTimeout : e.getCause().getMessage();
            throw new IOException(name + " did not start (" + why + "); its stderr:\n" + tail(err), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stderrLog() {
        return stderrLog;
    }

    /** SIGTERM, a few seconds' grace, then SIGKILL. Safe to call more than once. */
    public void destroy() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The value of {@code portKey} in a READY line ({@code READY key=value key=value...}), or -1
     * when the line is not a READY line or has no such word.
     *
     * @throws NumberFormatException when the value is not a port number
     */
    static int readyPort(String line, String portKey) {
        String text = line.trim();
        if (!text.startsWith(READY)) {
            return -1;
        }
        String prefix = portKey + "=";
        for (String word : text.substring(READY.length()).trim().split("\\s+")) {
            if (word.startsWith(prefix)) {
                int port = Integer.parseInt(word.substring(prefix.length()));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException("not a port: " + word);
                }
                return port;
            }
        }
        return -1;
    }

    /** Copies stdout to the log, completing {@code ready} with the port of the first READY line. */
    private static void copyStdout(InputStream in, Path log, String portKey, CompletableFuture<Integer> ready) {
        try (in; OutputStream file = Files.newOutputStream(log)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            // Unbuffered until READY, so nothing after it is stuck in a reader we then drop.
            while (!ready.isDone() && (b = in.read()) >= 0) {
                file.write(b);
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                int port = readyPort(text, portKey);
                if (port > 0) {
                    ready.complete(port);
                }
            }
            file.flush();
            ready.completeExceptionally(new IOException("stdout ended before a READY line"));
            in.transferTo(file);
        } catch (IOException | NumberFormatException e) {
            ready.completeExceptionally(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
