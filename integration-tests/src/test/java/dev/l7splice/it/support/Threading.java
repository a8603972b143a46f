package dev.l7splice.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the demo gateway runs its connections: platform threads on the build's JDK, or virtual threads
 * ({@code --virtual-threads}) on Java 25 where it is installed (virtual threads need Java 21+; the
 * build's JDK is 17).
 */
public enum Threading {
    PLATFORM,
    VIRTUAL;

    /** The JDK a gateway of this kind runs on. */
    public Path jdk() {
        return this == VIRTUAL ? Jdks.JAVA_25 : Jdks.current();
    }

    /** The gateway's own option for it (none for platform threads). */
    public List<String> gatewayArgs() {
        return this == VIRTUAL ? List.of("--virtual-threads") : List.of();
    }

    /** Every kind this machine can run: virtual threads only where Java 25 is installed. */
    public static List<Threading> present() {
        List<Threading> out = new ArrayList<>(List.of(PLATFORM));
        if (Files.isExecutable(Jdks.JAVA_25.resolve("bin/java"))) {
            out.add(VIRTUAL);
        }
        return out;
    }

    /** {@code modes} crossed with {@link #present()}, as JUnit arguments (mode, threading). */
    public static List<org.junit.jupiter.params.provider.Arguments> crossedWith(String... modes) {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (Threading t : present()) {
            for (String m : modes) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(m, t));
            }
        }
        return out;
    }
}
