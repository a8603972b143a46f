package dev.l7splice.agent.core;

import java.io.InputStream;
import java.util.List;

/**
 * Loads the weaver's classes (ASM's reader and writer, the prologue) on a second thread while the
 * installer's thread reads the configuration and loads the native library, so that retransforming
 * {@code InputStream} later finds them loaded: start-up wall time, not behaviour (bench/startup).
 * It weaves a copy of one of the agent's own class files and throws the result away; it changes
 * no class and publishes nothing. Any failure is ignored: the
 * installer then loads the same classes itself. Daemon thread, gone in some tens of milliseconds.
 */
final class WeaverWarmUp implements Runnable {

    private WeaverWarmUp() {
    }

    /** Starts the warm-up; never throws. */
    static void start() {
        try {
            Thread t = new Thread(new WeaverWarmUp(), "l7splice-warm-up");
            t.setDaemon(true);
            t.start();
        } catch (Throwable ignored) {
            // the installer loads the classes itself
        }
    }

    /** A prologue like transferTo's (a long answer, a stack map frame) on a method of a small class of ours. */
    private static final MethodHook PRACTICE = MethodHook.library("guavaCopy",
            "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", "guavaCopy",
            "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", MethodHook.Outcome.RETURN_COUNT, "0", "1");

    @Override
    public void run() {
        // From the agent jar on the bootstrap path: no runtime-image reader to set up for this.
        try (InputStream in = Object.class.getResourceAsStream("/dev/l7splice/agent/bootstrap/LibraryEntries.class")) {
            if (in != null) {
                HookWeaver.weave(in.readAllBytes(), List.of(PRACTICE));
            }
        } catch (Throwable ignored) {
            // only a warm-up
        }
    }
}
