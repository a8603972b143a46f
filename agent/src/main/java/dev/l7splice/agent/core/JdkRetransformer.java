package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.none;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * The one way this agent changes JDK classes: retransformation of already-loaded bootstrap
 * classes with inlined advice, no change of class shape, nothing ignored (Byte Buddy ignores
 * bootstrap classes by default). Records which types were transformed and the first error, so an
 * installer can refuse to run half-instrumented.
 */
final class JdkRetransformer {

    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;

    /** A builder to add {@code .type(...).transform(...)} pairs to, then {@code installOn}. */
    AgentBuilder.Ignored builder() {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                                 boolean loaded, DynamicType dynamicType) {
                        applied.add(type.getName());
                    }

                    @Override
                    public void onError(String name, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
                        failure = t;
                    }
                })
                .ignore(none());
    }

    /** Throws unless every named type was transformed without error. */
    void check(Set<String> expected, String what) {
        if (failure != null || !applied.containsAll(expected)) {
            throw new IllegalStateException(what + " incomplete: transformed " + applied, failure);
        }
    }
}
