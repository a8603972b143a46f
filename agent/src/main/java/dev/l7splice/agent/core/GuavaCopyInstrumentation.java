package dev.l7splice.agent.core;

import java.util.List;

/**
 * Target: Guava {@code com.google.common.io.ByteStreams.copy(InputStream, OutputStream)}, a plain
 * read/write loop returning the long count (neither flushes nor closes). The channel overload is
 * left alone.
 */
final class GuavaCopyInstrumentation {

    static final String TYPE = "com.google.common.io.ByteStreams";

    private GuavaCopyInstrumentation() {
    }

    static List<MethodHook> hooks() {
        return List.of(MethodHook.library("copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J",
                "guavaCopy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", MethodHook.Outcome.RETURN_COUNT,
                "0", "1"));
    }
}
