package dev.l7splice.agent.core;

import java.util.List;

/**
 * Target: Spring {@code org.springframework.util.StreamUtils}. {@code copy(in, out)} returns the
 * count as an int (the long count cast, as Spring does) and flushes {@code out}, on our path too.
 * {@code copyRange(in, out, start, end)} copies {@code end - start + 1} bytes and returns the long
 * count; offloaded when {@code start == 0} (a stream already positioned), otherwise Spring's skip
 * and its exception run. Spring 6's {@code copy} itself calls {@code transferTo}, which the
 * {@code transfer-to} instrumentation covers too; this prologue answers first, once.
 */
final class SpringStreamUtilsInstrumentation {

    static final String TYPE = "org.springframework.util.StreamUtils";

    private SpringStreamUtilsInstrumentation() {
    }

    static List<MethodHook> hooks() {
        return List.of(
                MethodHook.library("copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)I",
                        "springCopy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1"),
                MethodHook.library("copyRange", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ)J",
                        "springCopyRange", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1", "2", "3"));
    }
}
