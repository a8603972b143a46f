package dev.l7splice.agent.instrument;

import dev.l7splice.agent.runtime.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prologues for library and application classes (Commons IO, Guava, Spring, the l7splice-api jar,
 * Apache HttpClient), matched by exact class name only: the agent never loads, links or requires
 * them, and a JVM without them is unaffected. One class file transformer for all targets; a target
 * already loaded when the agent starts (a late attach) is retransformed, the others are woven as
 * their class loader defines them. Hooks go only where the defining loader resolves
 * {@code L7Dispatch} to the bootstrap copy (not, for example, an OSGi bundle loader that does not
 * delegate our package): elsewhere the class stays as it is. Built once, on the installer's thread.
 */
public final class AppClassInstrumentations {

    private AppClassInstrumentations() {
    }

    /**
     * Installs the hooks of every library target that is switched on ({@code dotted} class name to its
     * hooks, from {@link Installation#weaveByName}); a failure leaves those classes unchanged.
     */
    static void install(Instrumentation inst, Map<String, List<MethodHook>> targets) {
        Map<String, List<MethodHook>> byName = new HashMap<>();
        Set<String> dotted = new HashSet<>();
        for (Map.Entry<String, List<MethodHook>> t : targets.entrySet()) {
            byName.put(t.getKey().replace('.', '/'), t.getValue());
            dotted.add(t.getKey());
        }
        if (byName.isEmpty()) {
            return;
        }
        try {
            HookTransformer transformer = new HookTransformer(byName, new Logged());
            inst.addTransformer(transformer, true);
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) { // none at start-up; some after a late attach
                if (dotted.contains(c.getName()) && inst.isModifiableClass(c)) { // no copy of each name
                    loaded.add(c);
                }
            }
            if (!loaded.isEmpty()) {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            }
        } catch (Throwable t) {
            AgentLog.warn("library copy helpers keep their own code: " + t);
        }
    }

    /** True when a prologue in a class of {@code loader} would call the same L7Dispatch as ours. */
    static boolean seesBootstrapDispatch(ClassLoader loader) {
        return HookTransformer.seesBootstrapDispatch(loader);
    }

    /** One line per woven class at info level; errors at warn (that class keeps its own code). */
    private static final class Logged implements HookTransformer.Listener {
        @Override
        public void woven(String className, ClassLoader loader) {
            AgentLog.info("offloading copies in " + className + " (class loader " + loader + ")");
        }

        @Override
        public void skipped(String className, ClassLoader loader) {
            AgentLog.info("left " + className + " unchanged: its class loader " + loader
                    + " does not see the agent's bootstrap classes");
        }

        @Override
        public void failed(String className, ClassLoader loader, Throwable t) {
            AgentLog.warn("could not instrument " + className + ", its own code runs: " + t);
        }
    }
}
