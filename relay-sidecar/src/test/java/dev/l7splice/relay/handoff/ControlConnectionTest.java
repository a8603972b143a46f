package dev.l7splice.relay.handoff;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.engine.Frame;
import dev.l7splice.engine.RelayLoop;
import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.relay.RelayOptions;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control thread and the relay loops share one agent's table of transfers. */
@Timeout(30)
class ControlConnectionTest {

    private static final RelayedTransfer.Completion NOTHING = new RelayedTransfer.Completion() {
        @Override
        public void done(RelayedTransfer t, long bytes) {
        }

        @Override
        public void failed(RelayedTransfer t, IOException cause) {
        }
    };

    /**
     * The race seen once in a soak: a STOP_READING for a transfer whose end a loop thread reports
     * between the control thread's lookups. The table here lets the loop's end run inside the
     * lookup itself, every time: with one entry per transfer (transfer and loop together) the
     * control thread still has a consistent pair and goes on; with the two tables it used to have,
     * the second lookup found nothing and the NullPointerException closed the agent's connection.
     */
    @Test
    void aStopForATransferThatEndsDuringItsLookupDoesNotBreakTheConnection() throws Exception {
        Relay relay = new Relay(RelayOptions.parse(new String[] {"--handoff-socket", "/nonexistent/x.sock"})
                .toConfig().global());
        try {
            RelayLoop loop = relay.nextLoop();
            RelayedTransfer t = new RelayedTransfer(1, -1, -1, NOTHING);
            AtomicReference<ControlConnection> control = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean racing = new java.util.concurrent.atomic.AtomicBoolean(true);
            ConcurrentHashMap<Long, ControlConnection.Relayed> table = new ConcurrentHashMap<>() {
                @Override
                public ControlConnection.Relayed get(Object key) {
                    ControlConnection.Relayed r = super.get(key);
                    if (r != null && racing.compareAndSet(true, false)) {
                        control.get().ended((Long) key, t, 0, null); // the loop thread, right now
                    }
                    return r;
                }
            };
            table.put(7L, new ControlConnection.Relayed(t, loop));
            control.set(new ControlConnection(-1, 0, relay, table, 1 << 20));
            assertDoesNotThrow(() -> control.get().handle(Frame.of(Frame.STOP_READING, 7, 0, null)));
            assertFalse(table.containsKey(7L), "the ended transfer is gone from the table");
            assertTrue(relay.done.get() == 1, "its end was counted once");
            assertFalse(racing.get(), "the end really ran inside the lookup");
        } finally {
            relay.stop();
        }
    }
}
