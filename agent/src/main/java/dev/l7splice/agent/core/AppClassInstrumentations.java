package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.lang.instrument.Instrumentation;
import java.util.function.UnaryOperator;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Advice for library and application classes (Commons IO, Guava, Spring, the l7splice-api jar),
 * matched by class name only: the agent never loads, links or requires them, and a JVM without
 * them is unaffected. One class file transformer for all targets; a target already loaded when the
 * agent starts (a late attach) is retransformed, the others are woven as their class loader
 * defines them. Advice is inlined only where the defining loader resolves {@link L7Dispatch} to
 * the bootstrap copy (not, for example, an OSGi bundle loader that does not delegate our package):
 * elsewhere the class stays as it is. Built once, on the installer's thread.
 */
final class AppClassInstrumentations {

    /** A target: the instrumentation's toggle name, the class name, and the advice to apply. */
    record Target(String toggle, String className, UnaryOperator<DynamicType.Builder<?>> advice) {
    }

    private AppClassInstrumentations() {
    }

    /** Installs advice for every target whose toggle is on; a failure leaves those classes unchanged. */
    static void install(Instrumentation inst, AgentConfig config) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Logged());
        int targets = 0;
        for (Target t : targets()) {
            if (!config.instrumentationEnabled(t.toggle())) {
                continue;
            }
            builder = builder.type(named(t.className())).transform((b, type, loader, module, domain) ->
                    seesBootstrapDispatch(loader) ? t.advice().apply(b) : skipped(b, type, loader));
            targets++;
        }
        if (targets > 0) {
            try {
                builder.installOn(inst);
            } catch (Throwable t) {
                AgentLog.warn("library copy helpers keep their own code: " + t);
            }
        }
    }

    static Target[] targets() {
        return new Target[] {
            new Target("commons-io", CommonsIoCopyInstrumentation.TYPE, CommonsIoCopyInstrumentation::apply),
            new Target("guava", GuavaCopyInstrumentation.TYPE, GuavaCopyInstrumentation::apply),
            new Target("spring", SpringStreamUtilsInstrumentation.TYPE, SpringStreamUtilsInstrumentation::apply),
            new Target("api", ApiInstrumentation.TYPE, ApiInstrumentation::apply),
            new Target("httpclient", HttpEntityWriteToInstrumentation.TYPE, HttpEntityWriteToInstrumentation::apply),
            new Target("httpclient", HttpEntityWriteToInstrumentation.TYPE_4, HttpEntityWriteToInstrumentation::apply),
        };
    }

    /** True when inlined advice in a class of {@code loader} would call the same L7Dispatch as ours. */
    static boolean seesBootstrapDispatch(ClassLoader loader) {
        try {
            return Class.forName(L7Dispatch.class.getName(), false, loader) == L7Dispatch.class;
        } catch (Throwable t) {
            return false;
        }
    }

    private static DynamicType.Builder<?> skipped(DynamicType.Builder<?> b, TypeDescription type, ClassLoader loader) {
        AgentLog.info("left " + type.getName() + " unchanged: its class loader " + loader
                + " does not see the agent's bootstrap classes");
        return b;
    }

    /** One line per woven class at info level; errors at warn (that class keeps its own code). */
    private static final class Logged extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            AgentLog.info("offloading copies in " + type.getName() + " (class loader " + loader + ")");
        }

        @Override
        public void onError(String name, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            AgentLog.warn("could not instrument " + name + ", its own code runs: " + t);
        }
    }
}
