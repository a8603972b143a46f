package dev.l7splice.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories that go when the JVM exits (normally or on SIGTERM: one shutdown hook for
 * all of them). The demo's servers and the test apps write bodies of up to 256 MiB into theirs;
 * left behind, a few hundred test runs fill a disk. Thread-safe.
 */
public final class TempDirs {

    private static final List<Path> DIRS = new ArrayList<>();
    private static boolean hooked;

    private TempDirs() {
    }

    /** A new directory under java.io.tmpdir, deleted with everything in it at exit. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        synchronized (DIRS) {
            DIRS.add(dir);
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "temp-dirs-cleanup"));
            }
        }
        return dir;
    }

    /** Deletes {@code dir} and everything below it; quietly does what it can. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // in use or gone: the rest still goes
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the directory went away under us
        }
    }

    private static void deleteAll() {
        synchronized (DIRS) {
            DIRS.forEach(TempDirs::delete);
        }
    }
}
