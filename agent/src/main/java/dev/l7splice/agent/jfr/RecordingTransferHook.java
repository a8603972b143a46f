package dev.l7splice.agent.jfr;

import dev.l7splice.agent.bootstrap.TransferHook;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wraps the agent's transfer hook: while a recording asks for {@link TransferEvent}, each call the
 * hook handles becomes one event, timed around the call, with the bytes {@link TransferTally} saw
 * on this thread meanwhile. Calls the hook declines ({@link #NOT_HANDLED}) make none (their reason
 * is a {@link FallbackEvent}). Otherwise it only forwards. Thread-safe: no state of its own.
 */
final class RecordingTransferHook implements TransferHook {

    private final TransferHook hook;
    private final String offload;

    RecordingTransferHook(TransferHook hook, String offload) {
        this.hook = hook;
        this.offload = offload;
    }

    @Override
    public long transferTo(InputStream in, OutputStream out) throws IOException {
        TransferEvent e = new TransferEvent();
        if (!e.isEnabled()) {
            return hook.transferTo(in, out);
        }
        return recorded(e, in, out, -1);
    }

    @Override
    public long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        TransferEvent e = new TransferEvent();
        if (!e.isEnabled()) {
            return hook.transfer(in, out, limit);
        }
        return recorded(e, in, out, limit);
    }

    private long recorded(TransferEvent e, InputStream in, OutputStream out, long limit) throws IOException {
        TransferTally.Record r = TransferTally.begin();
        e.begin();
        String outcome = "done";
        try {
            long n = limit < 0 ? hook.transferTo(in, out) : hook.transfer(in, out, limit);
            if (n == NOT_HANDLED) {
                outcome = null;
            } else if (r.handedOff > 0) {
                outcome = "handed-off";
            }
            return n;
        } catch (IOException | RuntimeException | Error t) {
            outcome = "failed: " + t;
            throw t;
        } finally {
            TransferTally.end(r);
            if (outcome != null) {
                e.end();
                e.source = kind(in.getClass(), BufferedInputStream.class);
                e.sink = kind(out.getClass(), BufferedOutputStream.class);
                e.mode = r.handedOff > 0 ? offload : "inline";
                e.bounded = limit >= 0;
                e.kernelBytes = r.kernelBytes;
                e.copiedBytes = r.copiedBytes;
                e.outcome = outcome;
                e.commit();
            }
        }
    }

    /** "socket", "buffered", "file", "httpserver", or the class's name. */
    static String kind(Class<?> type, Class<?> buffered) {
        String name = type.getName();
        if (type == buffered) {
            return "buffered";
        }
        if (name.startsWith("sun.net.httpserver.")) {
            return "httpserver";
        }
        if (name.contains("Socket")) {
            return "socket";
        }
        if (type == java.io.FileInputStream.class || name.equals("sun.nio.ch.ChannelInputStream")) {
            return "file";
        }
        return name;
    }
}
