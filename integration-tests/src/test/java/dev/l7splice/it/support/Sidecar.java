package dev.l7splice.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The relay sidecar ({@code l7relay.jar}) as a separate process, with its admin endpoint. */
public final class Sidecar implements AutoCloseable {

    private static Sidecar shared;

    private final Process process;
    private final Path socket;
    private final Path log;
    private final int adminPort;

    private Sidecar(Process process, Path socket, Path log, int adminPort) {
        this.process = process;
        this.socket = socket;
        this.log = log;
        this.adminPort = adminPort;
    }

    /** A fresh directory any user can enter (the socket inside carries its own mode). */
    public static Path socketDir() throws IOException {
        Path dir = dev.l7splice.demo.TempDirs.create("l7relay");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    public static Sidecar start(Path socket, String... extraArgs) throws IOException, InterruptedException {
        return start(List.of(), socket, extraArgs);
    }

    /** Starts {@code prefix... java -jar l7relay.jar --handoff-socket socket --admin 127.0.0.1:0 extra...}. */
    public static Sidecar start(List<String> prefix, Path socket, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Jdks.java(Jdks.current()), "-Xmx128m", "-jar", Artifacts.relayJar().toString(),
                "--handoff-socket", socket.toString(), "--admin", "127.0.0.1:0"));
        cmd.addAll(List.of(extraArgs));
        ReadyProcess p = ReadyProcess.start("sidecar", cmd);
        return new Sidecar(p.process, socket, p.log, p.field("admin"));
    }

    /** One sidecar for every test in this JVM that just needs one running. */
    public static synchronized Sidecar shared() throws IOException, InterruptedException {
        if (shared == null || !shared.process.isAlive()) {
            shared = start(socketDir().resolve("relay.sock"));
            Sidecar s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s.process::destroyForcibly));
        }
        return shared;
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    /** The agent options that hand bodies to this sidecar. */
    public String agentArgs() {
        return "offload=sidecar,relay.socket=" + socket;
    }

    /** GET on the admin endpoint. */
    public String admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + "\n" + r.body();
    }

    /** One value from /metrics, by its exact series name (labels included). */
    public long metric(String series) throws IOException, InterruptedException {
        for (String line : admin("/metrics").split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no metric " + series);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, as when the sidecar crashes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
