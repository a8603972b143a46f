package dev.l7splice.it.helidon;

import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds and starts {@code HelidonApp}. Helidon 4 needs Java 21 and this build compiles with 17, whose
 * javac cannot read Helidon's class files: the app's sources live outside Maven's compile
 * ({@code src/test/helidon}) and are compiled here, once per test JVM, with Java 25's javac against
 * the Helidon jars Maven resolved onto this class path, then run on Java 25. Without Java 25 the
 * calling test is skipped (an assumption). Thread-safe.
 */
final class HelidonRun {

    private static final Path SOURCES = Path.of("src/test/helidon").toAbsolutePath();
    private static final Path CLASSES = Path.of("target/helidon-classes").toAbsolutePath();
    private static boolean compiled;

    private HelidonRun() {
    }

    /** Skips the test unless Java 25 is installed. */
    static void assumeJava25() {
        Assumptions.assumeTrue(Files.isExecutable(Jdks.JAVA_25.resolve("bin/javac")), "needs " + Jdks.JAVA_25);
    }

    /** The app's own classes, the test classes it uses, the demo jar, Helidon's jars and slf4j's API. */
    static String classPath() {
        List<String> cp = new ArrayList<>(List.of(CLASSES.toString(), Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("/io/helidon/") || e.contains("/org/slf4j/slf4j-api/"))
                .forEach(cp::add);
        return String.join(File.pathSeparator, cp);
    }

    static synchronized void compile() throws IOException, InterruptedException {
        assumeJava25();
        if (compiled) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(Jdks.JAVA_25.resolve("bin/javac").toString(), "--release", "21",
                "-proc:none", "-d", CLASSES.toString(), "-cp", classPath()));
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(cmd::add);
        }
        Path log = Files.createTempFile("helidon-javac", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("javac failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        compiled = true;
    }

    /** HelidonApp on Java 25, with the agent (agentArgs non-null) or without. */
    static JavaProcess start(String agentArgs, int originPort, int upstreamPort, String... jvmOptions)
            throws IOException, InterruptedException {
        compile();
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        opts.addAll(List.of(jvmOptions));
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        return JavaProcess.start(Jdks.JAVA_25, classPath(), opts, "dev.l7splice.it.helidon.HelidonApp",
                Integer.toString(originPort), Integer.toString(upstreamPort));
    }
}
