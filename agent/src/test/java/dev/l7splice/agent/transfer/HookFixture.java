package dev.l7splice.agent.transfer;

import dev.l7splice.agent.instrument.targets.Instrumentations;
import dev.l7splice.agent.relay.Offload;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.AgentStats;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.agent.runtime.EndSwitches;
import dev.l7splice.agent.runtime.JdkSockets;
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
        return hook(args, null);
    }

    /** Same, handing unbounded socket bodies to {@code relay} (null: inline). */
    SocketTransferHook hook(String args, Offload relay) {
        AgentConfig config = AgentConfig.load(args, Map.of(), Map.of(), Instrumentations.ALL);
        EndSwitches ends;
        try {
            ends = Instrumentations.ends(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new SocketTransferHook(config, ends, counters, pipes, new AgentStats(config, counters, pipes), relay);
    }
}
