package dev.l7splice.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code l7relay.jar} as a standalone balancer started from a config file (or flags), with its
 * READY ports, its admin endpoint, signals, and a client that talks to {@link TagServer}s through it.
 */
public final class RelayProcess implements AutoCloseable {

    public final Process process;
    public final Path log;
    public final int listenPort;
    public final int adminPort;
    /** Sent as {@code Authorization: Bearer} by {@link #admin}; null = none (see {@link #adminToken}). */
    private volatile String adminToken;

    private RelayProcess(Process process, Path log, int listenPort, int adminPort) {
        this.process = process;
        this.log = log;
        this.listenPort = listenPort;
        this.adminPort = adminPort;
    }

    /** Starts {@code java -jar l7relay.jar args...} and waits for READY. */
    public static RelayProcess start(String... args) throws IOException, InterruptedException {
        return start(new ArrayList<>(), args);
    }

    /** The same, in a process that may hold at most {@code maxFds} fds ({@code ulimit -n}). */
    public static RelayProcess startWithFdLimit(int maxFds, String... args) throws IOException, InterruptedException {
        // exec: the shell becomes the JVM, so pid() and signals reach the relay itself
        return start(new ArrayList<>(List.of("bash", "-c", "ulimit -n " + maxFds + " && exec \"$0\" \"$@\"")), args);
    }

    /** The same, with SIGHUP ignored as nohup leaves it (the JVM then cannot take it). */
    public static RelayProcess startWithSighupIgnored(String... args) throws IOException, InterruptedException {
        return start(new ArrayList<>(List.of("bash", "-c", "trap '' HUP && exec \"$0\" \"$@\"")), args);
    }

    private static RelayProcess start(List<String> cmd, String... args) throws IOException, InterruptedException {
        cmd.addAll(List.of(Jdks.java(Jdks.current()), "-Xmx128m", "-jar", Artifacts.relayJar().toString()));
        cmd.addAll(List.of(args));
        ReadyProcess p = ReadyProcess.start("relay", cmd);
        return new RelayProcess(p.process, p.log, p.field("listen"), p.field("admin"));
    }

    /** Writes {@code config} to a temp file and starts the relay on it. */
    public static RelayProcess withConfig(Path file, String config) throws IOException, InterruptedException {
        Files.writeString(file, config);
        return start("--config", file.toString());
    }

    public long pid() {
        return process.pid();
    }

    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the log contains {@code text}. */
    public void awaitLog(String text, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!logText().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + text + "' in the relay log:\n" + logText());
            }
            Thread.sleep(20);
        }
    }

    /** The admin token {@link #admin} sends from now on (the relay's admin-token-file holds it). */
    public RelayProcess adminToken(String token) {
        adminToken = token;
        return this;
    }

    /** A 16..4096-character token for admin-token-file, written to {@code file}. */
    public static String writeAdminToken(Path file) throws IOException {
        String token = "it-token-" + Long.toHexString(System.nanoTime()) + "-" + ProcessHandle.current().pid();
        Files.writeString(file, token + "\n");
        return token;
    }

    /** The body of a 200 answer (with the admin token, if one was given); an IOException for any other status. */
    public String admin(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = adminRequest(method, path, adminToken == null ? new String[0]
                : new String[] {"Authorization", "Bearer " + adminToken});
        if (r.statusCode() != 200) {
            throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** One request to the admin endpoint with exactly these extra headers (name, value, ...), whatever its status. */
    public HttpResponse<String> adminRequest(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            req.headers(headers);
        }
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} + "\n" through the relay; returns the tag line ("" when closed without one). */
    public String tag(String request) throws IOException {
        try (Socket s = open(request)) {
            return readLine(s.getInputStream());
        }
    }

    /** An open connection that sent {@code request}; read the tag with {@link #readLine}. */
    public Socket open(String request) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), listenPort);
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write((request + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    public static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The value of the one /metrics line that starts with {@code prefix} (name and labels, then a space). */
    public static long metric(String metrics, String prefix) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length()).trim());
            }
        }
        throw new AssertionError("no " + prefix + " in\n" + metrics);
    }
}
