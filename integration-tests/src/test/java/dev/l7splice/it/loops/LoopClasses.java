package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class path a loop test's application runs from: the build's classes on the build's JDK; on
 * another JDK (Java 25), the application's one source file compiled by that JDK's own javac, so
 * the agent sees the bytecode that javac writes (class file version checked).
 */
final class LoopClasses {

    private LoopClasses() {
    }

    /** A {@link TcpForwarder} to {@code originPort} on {@code jdk}, with {@code agent} (JVM options, may be empty). */
    static JavaProcess forwarder(Path jdk, List<String> agent, int originPort, String... mode)
            throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx128m"));
        opts.addAll(agent);
        List<String> args = new ArrayList<>(List.of(Integer.toString(originPort)));
        args.addAll(List.of(mode));
        return JavaProcess.start(jdk, classPath(jdk, TcpForwarder.class), opts, TcpForwarder.class.getName(),
                args.toArray(new String[0]));
    }

    /** {@code app}: a top-level class of this package whose file holds the whole application. */
    static String classPath(Path jdk, Class<?> app) throws IOException, InterruptedException {
        if (jdk.equals(Jdks.current())) {
            return Path.of("target/test-classes").toAbsolutePath().toString();
        }
        Path dir = dev.l7splice.demo.TempDirs.create("l7it-loops");
        Path src = Path.of("src/test/java/dev/l7splice/it/loops/" + app.getSimpleName() + ".java").toAbsolutePath();
        int feature = Jdks.feature(jdk);
        Process javac = new ProcessBuilder(jdk.resolve("bin/javac").toString(), "--release",
                Integer.toString(feature), "-d", dir.toString(), src.toString()).inheritIO().start();
        assertTrue(javac.waitFor(120, TimeUnit.SECONDS) && javac.exitValue() == 0, "javac of " + jdk);
        Path cls = dir.resolve("dev/l7splice/it/loops/" + app.getSimpleName() + ".class");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(cls))) {
            in.readInt();
            in.readUnsignedShort();
            assertEquals(44 + feature, in.readUnsignedShort(), "class file version");
        }
        return dir.toString();
    }
}
