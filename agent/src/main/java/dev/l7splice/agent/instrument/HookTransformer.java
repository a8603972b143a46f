package dev.l7splice.agent.instrument;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves {@link MethodHook}s into classes matched by exact name, as their loaders define them and
 * on every retransformation (registered as retransformation-capable, so a later retransformation
 * of the same class, by us or by another agent, gets the hooks again). Any other class costs one
 * hash lookup of its name. Called concurrently on class-loading threads; its only mutable state is
 * the set of woven names and the first error, both safe to publish. Never throws: a class it fails
 * on keeps its own code.
 */
final class HookTransformer implements ClassFileTransformer {

    /** Told about each class: woven, left alone (loader cannot see our bootstrap classes) or failed. */
    interface Listener {
        void woven(String className, ClassLoader loader);

        void skipped(String className, ClassLoader loader);

        void failed(String className, ClassLoader loader, Throwable t);
    }

    private final Map<String, List<MethodHook>> byInternalName;
    private final Listener listener;
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;

    /** {@code byInternalName}: {@code java/io/InputStream} and the like, to the hooks for that class. */
    HookTransformer(Map<String, List<MethodHook>> byInternalName, Listener listener) {
        this.byInternalName = Map.copyOf(byInternalName);
        this.listener = listener;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        List<MethodHook> hooks = className == null ? null : byInternalName.get(className);
        if (hooks == null) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            // Bootstrap classes always see L7Dispatch; in any other loader the prologue's call must
            // resolve to the bootstrap copy (not, for example, an OSGi loader that hides our package).
            if (loader != null && !seesBootstrapDispatch(loader)) {
                listener.skipped(name, loader);
                return null;
            }
            byte[] out = HookWeaver.weave(classFile, hooks);
            woven.add(name);
            listener.woven(name, loader);
            return out;
        } catch (Throwable t) {
            failure = t;
            listener.failed(name, loader, t);
            return null;
        }
    }

    /** Class names (dotted) woven so far. */
    Set<String> woven() {
        return woven;
    }

    /** The latest error, or null. */
    Throwable failure() {
        return failure;
    }

    Set<String> targets() {
        return byInternalName.keySet();
    }

    /** True when a call in a class of {@code loader} reaches our (bootstrap) L7Dispatch. */
    static boolean seesBootstrapDispatch(ClassLoader loader) {
        try {
            return Class.forName(L7Dispatch.class.getName(), false, loader) == L7Dispatch.class;
        } catch (Throwable t) {
            return false;
        }
    }
}
