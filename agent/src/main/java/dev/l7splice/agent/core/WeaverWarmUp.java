package dev.l7splice.agent.core;

import java.io.InputStream;
import java.util.List;

/**
 * Loads the weaver's classes (ASM's reader and writer, the prologue) on a second thread while the
 * installer's thread reads the configuration and loads the native library, so that retransforming
 * {@code InputStream} later finds them loaded: start-up wall time, not behaviour (bench/startup).
 * It weaves a copy of {@code java.io.InputStream}'s class file from the runtime image and throws
 * the result away; it changes no class and publishes nothing. Any failure is ignored: the
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

    @Override
    public void run() {
        try (InputStream in = Object.class.getResourceAsStream("/java/io/InputStream.class")) {
            if (in != null) {
                HookWeaver.weave(in.readAllBytes(), List.of(InputStreamTransferToInstrumentation.TRANSFER_TO));
            }
        } catch (Throwable ignored) {
            // only a warm-up
        }
    }
}
