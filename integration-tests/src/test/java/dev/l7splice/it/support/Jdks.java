package dev.l7splice.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the end-to-end tests run the demo apps on: the build's own, plus Java 25 where installed. */
public final class Jdks {

    public static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private Jdks() {
    }

    public static Path current() {
        return Path.of(System.getProperty("java.home"));
    }

    /** Every JDK present, the current one first. */
    public static List<Path> all() {
        List<Path> out = new ArrayList<>();
        out.add(current());
        if (Files.isExecutable(JAVA_25.resolve("bin/java")) && !JAVA_25.equals(current())) {
            out.add(JAVA_25);
        }
        return out;
    }

    /** The JDK's feature release (17, 25...), from its {@code release} file. */
    public static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("no version in " + jdk.resolve("release"), e);
        }
        throw new IllegalStateException("no JAVA_VERSION in " + jdk.resolve("release"));
    }

    public static String java(Path jdk) {
        return jdk.resolve("bin/java").toString();
    }
}
