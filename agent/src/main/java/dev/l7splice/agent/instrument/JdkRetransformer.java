package dev.l7splice.agent.instrument;

import dev.l7splice.agent.runtime.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one way this agent changes JDK classes: retransformation of already-loaded bootstrap classes
 * with prologues ({@link MethodHook}), no change of class shape. The transformer stays registered,
 * so a later retransformation of the same class (another instrumentation of {@code Socket}, or
 * another agent) keeps these hooks. Refuses to leave a JDK class half-instrumented: {@link #install}
 * throws unless every named class was woven without error. Called on the installer's thread.
 */
public final class JdkRetransformer {

    private JdkRetransformer() {
    }

    /** Weaves {@code hooks} (internal class name to its hooks) into those loaded JDK classes; throws if incomplete. */
    public static void install(Instrumentation inst, Map<String, List<MethodHook>> hooks, String what) throws Exception {
        HookTransformer transformer = new HookTransformer(hooks, new HookTransformer.Listener() {
            @Override
            public void woven(String className, ClassLoader loader) {
            }

            @Override
            public void skipped(String className, ClassLoader loader) {
            }

            @Override
            public void failed(String className, ClassLoader loader, Throwable t) {
                AgentLog.debug(what + ": " + className + " failed: " + t);
            }
        });
        List<Class<?>> classes = new ArrayList<>();
        for (String internalName : hooks.keySet()) {
            classes.add(Class.forName(internalName.replace('/', '.'), false, null)); // loaded now, if not yet
        }
        inst.addTransformer(transformer, true);
        inst.retransformClasses(classes.toArray(new Class<?>[0]));
        List<String> expected = new ArrayList<>();
        for (Class<?> c : classes) {
            expected.add(c.getName());
        }
        if (transformer.failure() != null || !transformer.woven().containsAll(expected)) {
            throw new IllegalStateException(what + " incomplete: transformed " + transformer.woven(),
                    transformer.failure());
        }
    }
}
