package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.util.List;

/**
 * Target: Apache Commons IO {@code org.apache.commons.io.IOUtils}. Every stream-to-stream overload
 * ({@code copy(in, out)}, {@code copy(in, out, bufferSize)}, {@code copyLarge(in, out)}) ends in
 * {@code copyLarge(in, out, byte[])}, and both bounded ones in
 * {@code copyLarge(in, out, inputOffset, length, byte[])}; this holds from 2.5 to 2.22 (checked
 * with javap). Hooking those two leaves covers all of them once per call, and the library's own
 * wrappers keep its contract: {@code copy} returns an int, -1 above {@code Integer.MAX_VALUE}.
 * A bounded copy with {@code inputOffset > 0} runs the library's code (its skip and its exception);
 * the checks are in {@link dev.l7splice.agent.bootstrap.LibraryEntries}.
 */
public final class CommonsIoCopyInstrumentation extends Target {

    static final String TYPE = "org.apache.commons.io.IOUtils";

    public CommonsIoCopyInstrumentation() {
        super("commons-io", Phase.LIBRARIES);
    }

    @Override
    public void install(Installation at) throws Exception {
        at.weaveByName(TYPE, hooks());
    }

    public static List<MethodHook> hooks() {
        return List.of(
                MethodHook.library("copyLarge", "(Ljava/io/InputStream;Ljava/io/OutputStream;[B)J",
                        "commonsCopyLarge", "(Ljava/io/InputStream;Ljava/io/OutputStream;[B)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1", "2"),
                MethodHook.library("copyLarge", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ[B)J",
                        "commonsCopyLargeBounded", "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ[B)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1", "2", "3", "4"));
    }
}
