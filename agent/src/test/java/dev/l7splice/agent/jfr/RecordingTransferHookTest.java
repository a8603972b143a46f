package dev.l7splice.agent.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.TransferHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper forwards every answer unchanged and, while recorded, makes one event per handled call. */
@Timeout(60)
class RecordingTransferHookTest {

    private final TransferTally kernel = new TransferTally(TransferTally.Role.KERNEL_BYTES);
    private final TransferTally copied = new TransferTally(TransferTally.Role.COPIED_BYTES);
    private final TransferTally handedOff = new TransferTally(TransferTally.Role.HANDED_OFF);

    @TempDir
    Path dir;

    /** A stand-in for the agent's hook: "x" declines, "boom" fails, "relay" hands off, else splices 100 + copies 5. */
    private final TransferHook fake = new TransferHook() {
        @Override
        public long transferTo(InputStream in, OutputStream out) throws IOException {
            String what = new String(in.readAllBytes());
            switch (what) {
                case "x": return NOT_HANDLED;
                case "boom": kernel.add(7); throw new IOException("Connection reset");
                case "relay": copied.add(3); handedOff.increment(); return 3;
                default: kernel.add(100); copied.add(5); return 105;
            }
        }
    };

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes());
    }

    @Test
    void oneEventPerHandledCallWithItsOwnBytesAndOutcome() throws Exception {
        TransferHook hook = AgentEvents.recording(fake, "sidecar");
        OutputStream out = new ByteArrayOutputStream();
        Path file = dir.resolve("r.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.l7splice.Transfer");
            r.start();
            assertEquals(105, hook.transferTo(body("splice"), out));
            assertEquals(TransferHook.NOT_HANDLED, hook.transferTo(body("x"), out));
            assertEquals("Connection reset",
                    assertThrows(IOException.class, () -> hook.transferTo(body("boom"), out)).getMessage());
            assertEquals(3, hook.transferTo(body("relay"), out));
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.l7splice.Transfer")).toList();
        assertEquals(3, events.size(), "none for the declined call: " + events);
        assertEquals(List.of(100L, 7L, 0L), events.stream().map(e -> e.getLong("kernelBytes")).toList());
        assertEquals(List.of(5L, 0L, 3L), events.stream().map(e -> e.getLong("copiedBytes")).toList());
        assertEquals("done", events.get(0).getString("outcome"));
        assertTrue(events.get(1).getString("outcome").startsWith("failed: java.io.IOException: Connection reset"));
        assertEquals("handed-off", events.get(2).getString("outcome"));
        assertEquals(List.of("inline", "inline", "sidecar"), events.stream().map(e -> e.getString("mode")).toList());
        assertEquals("java.io.ByteArrayInputStream", events.get(0).getString("source"));
    }

    @Test
    void withoutARecordingItOnlyForwards() throws Exception {
        TransferHook hook = AgentEvents.recording(fake, "inline");
        assertEquals(105, hook.transferTo(body("splice"), new ByteArrayOutputStream()));
        assertEquals(TransferHook.NOT_HANDLED, hook.transfer(body("x"), new ByteArrayOutputStream(), 10));
        assertSame(RecordingTransferHook.class, hook.getClass());
    }
}
