package dev.l7splice.agent.transfer;

import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.relay.Offload;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.IOException;

/**
 * The hand-off modes' engine ({@code offload=inprocess|sidecar}): the relay takes over private,
 * non-blocking dups of a plain socket source's and a plain socket sink's fds, with the bytes still
 * to write first, and the application's call returns at once. The final count goes to the counters
 * and to a debug line with the transfer's id. Stateless; the calling thread.
 */
final class RelayHandOff {

    private RelayHandOff() {
    }

    /** Both ends are plain sockets, with nothing to frame or count: a relay may take their body over (here, or {@link ParkedRelay}). */
    static boolean plainSockets(SourceEnd src, SinkEnd sink) {
        return src.relayable() && sink.socket() != null;
    }

    /**
     * True when the relay took the body (it now owns the dups, and the application's next calls on
     * either socket wait for it); false, with nothing relayed and the reason counted, when the
     * caller must complete the body itself. Any other IOException: the relay took it and failed.
     */
    static boolean tryHandOff(SocketTransferHook hook, SourceEnd src, SinkEnd sink, byte[] prefix) throws IOException {
        Offload relay = hook.relay;
        int[] fds = hook.privateFds(src.fd(), sink.fd());
        if (fds == null) {
            hook.fallback("relay-unavailable");
            AgentLog.debug("completing inline: could not prepare the fds");
            return false;
        }
        try {
            long id = relay.handOff(src.socket(), fds[0], sink.socket(), fds[1], prefix);
            hook.counters.offloaded.increment();
            hook.counters.handedOff.increment();
            AgentLog.debug("transfer #" + id + " handed off to the " + relay.name());
            return true;
        } catch (Offload.Unavailable e) {
            SocketTransferHook.closeAll(fds);
            hook.fallback("relay-unavailable");
            AgentLog.debug("completing inline: " + e.getMessage());
            return false;
        }
    }
}
