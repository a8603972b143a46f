package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.util.List;

/**
 * Target: Guava {@code com.google.common.io.ByteStreams.copy(InputStream, OutputStream)}, a plain
 * read/write loop returning the long count (neither flushes nor closes). The channel overload is
 * left alone.
 */
public final class GuavaCopyInstrumentation extends Target {

    static final String TYPE = "com.google.common.io.ByteStreams";

    public GuavaCopyInstrumentation() {
        super("guava", Phase.LIBRARIES);
    }

    @Override
    public void install(Installation at) throws Exception {
        at.weaveByName(TYPE, hooks());
    }

    public static List<MethodHook> hooks() {
        return List.of(MethodHook.library("copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J",
                "guavaCopy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", MethodHook.Outcome.RETURN_COUNT,
                "0", "1"));
    }
}
