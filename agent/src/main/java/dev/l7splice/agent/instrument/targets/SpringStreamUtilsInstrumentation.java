package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.util.List;

/**
 * Target: Spring {@code org.springframework.util.StreamUtils}. {@code copy(in, out)} returns the
 * count as an int (the long count cast, as Spring does) and flushes {@code out}, on our path too.
 * {@code copyRange(in, out, start, end)} copies {@code end - start + 1} bytes and returns the long
 * count; offloaded when {@code start == 0} (a stream already positioned), otherwise Spring's skip
 * and its exception run. Spring 6's {@code copy} itself calls {@code transferTo}, which the
 * {@code transfer-to} instrumentation covers too; this prologue answers first, once.
 */
public final class SpringStreamUtilsInstrumentation extends Target {

    public static final String TYPE = "org.springframework.util.StreamUtils";

    public SpringStreamUtilsInstrumentation() {
        super("spring", Phase.LIBRARIES);
    }

    @Override
    public void install(Installation at) throws Exception {
        at.weaveByName(TYPE, hooks());
    }

    public static List<MethodHook> hooks() {
        return List.of(
                MethodHook.library("copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)I",
                        "springCopy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1"),
                MethodHook.library("copyRange", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ)J",
                        "springCopyRange", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1", "2", "3"));
    }
}
