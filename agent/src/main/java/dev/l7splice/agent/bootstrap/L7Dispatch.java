package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Static entry point for advice inlined into JDK classes. Thread contract: the hook is published
 * once by the installer (volatile write) and read on every call; a null hook means "run the JDK's
 * code". Class-loader contract: loaded by the bootstrap loader, refers to JDK types only.
 */
public final class L7Dispatch {

    private static volatile TransferHook transferHook;

    private L7Dispatch() {
    }

    public static void install(TransferHook hook) {
        transferHook = hook;
    }

    /**
     * Called on entry of {@code InputStream.transferTo}. Returns 0 when the original method must
     * run, otherwise the transferred count plus one (so that an empty body is still "handled").
     */
    public static long enterTransferTo(InputStream in, OutputStream out) throws IOException {
        TransferHook hook = transferHook;
        if (hook == null || out == null) {
            return 0L;
        }
        long n = hook.transferTo(in, out);
        return n < 0 ? 0L : n + 1;
    }
}
