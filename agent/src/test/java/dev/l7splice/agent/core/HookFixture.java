package dev.l7splice.agent.core;

import dev.l7splice.kernel.PipePool;
import java.util.Map;

/**
 * What the SocketTransferHook unit tests share: fresh Counters and a PipePool per test instance, and a hook built from
 * agent arguments over them. The JDK socket internals the hook reads are looked up once per JVM (static initializer).
 */
final class HookFixture {

    static {
        try {
            JdkSockets.init();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Counters counters = new Counters();
    final PipePool pipes = new PipePool(1 << 20, 8);

    /** A hook with its own config (e.g. "splice.min-bytes=0") counting into this fixture's counters. */
    SocketTransferHook hook(String args) {
        AgentConfig config = AgentConfig.load(args, Map.of(), Map.of());
        return new SocketTransferHook(config, counters, pipes, new AgentStats(config, counters, pipes), null);
    }
}
