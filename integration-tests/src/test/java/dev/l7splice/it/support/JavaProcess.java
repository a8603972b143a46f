package dev.l7splice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started for a test: prints {@code READY port=N} on stdout when listening, then runs until
 * closed. Its stdout and stderr go to files (read {@link #output()} after {@link #close()}), so a
 * chatty process can never block on a full pipe.
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private JavaProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code mainClass} from the demo jar, with the given JVM options, and waits for READY. */
    public static JavaProcess start(Path jdk, List<String> jvmOptions, String mainClass, String... args)
            throws IOException, InterruptedException {
        return start(jdk, Artifacts.demoJar().toString(), jvmOptions, mainClass, args);
    }

    /** Starts {@code mainClass} from the given class path and waits for READY. */
    public static JavaProcess start(Path jdk, String classPath, List<String> jvmOptions, String mainClass,
                                    String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jdks.java(jdk));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ReadyProcess p = ReadyProcess.start(mainClass.substring(mainClass.lastIndexOf('.') + 1), cmd);
        return new JavaProcess(p.process, p.log, p.field("port"));
    }

    /** An origin server (no agent). */
    public static JavaProcess origin(Path jdk) throws IOException, InterruptedException {
        return start(jdk, List.of("-Xmx256m"), "dev.l7splice.demo.origin.OriginServer", "--port", "0");
    }

    /** A demo gateway in front of the given backend ports, with the given JVM options. */
    public static JavaProcess gateway(Path jdk, List<String> jvmOptions, int... backends)
            throws IOException, InterruptedException {
        return gateway(jdk, List.of(), jvmOptions, backends);
    }

    /** Same, its connections on platform or virtual threads ({@link Threading#jdk()} is the JDK). */
    public static JavaProcess gateway(Threading threading, List<String> jvmOptions, int... backends)
            throws IOException, InterruptedException {
        return gateway(threading.jdk(), threading.gatewayArgs(), jvmOptions, backends);
    }

    private static JavaProcess gateway(Path jdk, List<String> gatewayArgs, List<String> jvmOptions, int... backends)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(gatewayArgs);
        for (int b : backends) {
            args.add("--backend");
            args.add("127.0.0.1:" + b);
        }
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        opts.addAll(jvmOptions);
        return start(jdk, opts, "dev.l7splice.demo.gateway.Gateway", args.toArray(new String[0]));
    }

    /** The {@code -javaagent} option for the agent under test, with agent arguments (may be empty). */
    public static String agent(String agentArgs) {
        return "-javaagent:" + Artifacts.agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs);
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

    /** SIGKILL, as when a server crashes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** stderr so far (complete after close). */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then SIGKILL after 10 s; shutdown hooks run on the first. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String stderrTail() {
        try {
            String s = output();
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
