package dev.l7splice.agent.instrument.loops;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.Counters;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Runs the copy-loop rewriter on application classes as their loaders define them (never on
 * retransformation). Called concurrently on class-loading threads; holds no mutable state. Skips
 * the bootstrap loader, the JDK, the agent's own and shaded packages and common libraries by name,
 * and any class whose constant pool lacks the strings of a read(byte[]) and a write(byte[], int, int)
 * call ({@link ConstantPoolScan}).
 * Any failure leaves that class exactly as it was.
 */
final class CopyLoopTransformer implements ClassFileTransformer {

    private static final List<String> SKIPPED_PREFIXES = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
            "dev/l7splice/agent/", "dev/l7splice/engine/", "dev/l7splice/kernel/", "dev/l7splice/shaded/",
            "org/apache/", "com/google/", "org/springframework/",
            "io/netty/", "kotlin/", "scala/", "groovy/", "org/codehaus/groovy/", "org/junit/", "org/slf4j/",
            "ch/qos/logback/", "org/eclipse/", "net/bytebuddy/", "org/objectweb/asm/", "com/fasterxml/",
            "org/hibernate/", "io/micrometer/", "reactor/", "io/undertow/", "okhttp3/", "okio/", "org/jboss/");

    /** Every left loop is counted as this prefix and its finding's key, e.g. {@code copy-loop-left:field-written}. */
    static final String LEFT_PREFIX = "copy-loop-left:";

    private final LoopReport report;
    private final boolean exactCounts;
    private final Counters counters;

    /**
     * {@code report} null: no report lines. {@code exactCounts}: see {@link CopyLoopRewriter#rewrite}.
     * {@code counters} null: left loops are not counted (tests).
     */
    CopyLoopTransformer(LoopReport report, boolean exactCounts, Counters counters) {
        this.report = report;
        this.exactCounts = exactCounts;
        this.counters = counters;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (loader == null || className == null || redefined != null || skipped(className)
                || !mayHoldCopyLoop(classFile)) {
            return null;
        }
        try {
            CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(classFile, () -> refusal(module, loader), exactCounts);
            if (report != null) {
                report.print(r);
            }
            count(r);
            if (r.bytes() != null) {
                AgentLog.debug("copy loops offloaded in " + className);
            }
            return r.bytes();
        } catch (Throwable t) {
            AgentLog.debug("copy loops in " + className + " left unchanged: " + t);
            return null;
        }
    }

    /**
     * One fallback per loop left, when its class is defined (not each time it runs: a left loop's
     * code is not touched, so nothing could count its runs). The keys are a fixed, short set.
     */
    private void count(CopyLoopRewriter.Result r) {
        if (counters == null) {
            return;
        }
        for (LoopFinding f : r.findings()) {
            if (!f.rewritable()) {
                counters.fallback(LEFT_PREFIX + f.key());
            }
        }
    }

    static boolean skipped(String internalName) {
        for (String p : SKIPPED_PREFIXES) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The cheap test before any parsing: see {@link ConstantPoolScan}. */
    static boolean mayHoldCopyLoop(byte[] b) {
        return ConstantPoolScan.mayHoldCopyLoop(b);
    }

    /**
     * Null when a class of {@code module} and {@code loader} may call our (bootstrap) L7Dispatch:
     * its loader resolves that very class, and its module is unnamed (reads every module).
     */
    static String refusal(Module module, ClassLoader loader) {
        if (module != null && module.isNamed()) {
            return CopyLoopRewriter.NAMED_MODULE;
        }
        return seesBootstrapDispatch(loader) ? null : CopyLoopRewriter.LOADER_BLIND;
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
