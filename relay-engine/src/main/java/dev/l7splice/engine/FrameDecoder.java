package dev.l7splice.engine;

import dev.l7splice.kernel.nativeio.LinuxIo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Reassembles {@link Frame}s from a byte stream and the fds that arrived with it. Anything
 * malformed, truncated at the end of the stream, or too large is a {@link ProtocolException}
 * naming the reason; nothing else escapes. Fds that no frame claims are closed by
 * {@link #close()}. Not thread-safe: one decoder per connection, used by its reader.
 */
public final class FrameDecoder implements AutoCloseable {

    /** A control connection sent something that is not a valid frame. */
    public static final class ProtocolException extends Exception {
        public ProtocolException(String message) {
            super(message);
        }
    }

    private byte[] buf = new byte[1024];
    private int len;
    private final ArrayDeque<Integer> fds = new ArrayDeque<>();
    private final boolean acceptsFds;

    /** @param acceptsFds true on the relay's side (HANDOFF frames carry fds); false on the agent's. */
    public FrameDecoder(boolean acceptsFds) {
        this.acceptsFds = acceptsFds;
    }

    /** Adds received bytes and any fds that came with them (negative entries are ignored). */
    public void feed(byte[] data, int off, int n, int[] receivedFds) {
        if (receivedFds != null) {
            for (int fd : receivedFds) {
                if (fd >= 0) {
                    fds.add(fd);
                }
            }
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(data, off, buf, len, n);
        len += n;
    }

    /** The next complete frame, or null when more bytes are needed. */
    public Frame next() throws ProtocolException {
        if (len < 4) {
            return null;
        }
        int body = ByteBuffer.wrap(buf, 0, 4).getInt();
        if (body < Frame.HEADER || body > Frame.MAX_BODY) {
            throw new ProtocolException("frame length " + body + " outside " + Frame.HEADER + ".." + Frame.MAX_BODY);
        }
        if (len < 4 + body) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 4, body);
        Frame f = parse(b, body);
        if (b.hasRemaining()) {
            throw new ProtocolException("frame has " + b.remaining() + " bytes more than its type allows");
        }
        System.arraycopy(buf, 4 + body, buf, 0, len - 4 - body);
        len -= 4 + body;
        return f;
    }

    private Frame parse(ByteBuffer b, int body) throws ProtocolException {
        int version = b.get() & 0xff;
        if (version != Frame.VERSION) {
            throw new ProtocolException("unsupported version " + version);
        }
        int type = b.get() & 0xff;
        int flags = b.getShort() & 0xffff;
        long id = b.getLong();
        if (flags != 0 && type != Frame.HANDOFF) {
            throw new ProtocolException("flags on a frame of type " + type);
        }
        switch (type) {
            case Frame.HANDOFF: {
                if (!acceptsFds) {
                    throw new ProtocolException("unexpected HANDOFF");
                }
                if ((flags & ~RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF) != 0) {
                    throw new ProtocolException("unknown flags " + flags);
                }
                int n = need(b, 4).getInt();
                if (n < 0 || n != b.remaining()) {
                    throw new ProtocolException("prefix length " + n + " does not match the frame");
                }
                byte[] prefix = new byte[n];
                b.get(prefix);
                if (fds.size() < 2) {
                    throw new ProtocolException("HANDOFF without its two fds");
                }
                return Frame.handoffReceived(id, flags, prefix, fds.poll(), fds.poll());
            }
            case Frame.ROUTE: {
                if (!acceptsFds) {
                    throw new ProtocolException("unexpected ROUTE");
                }
                String pool = text(b);
                int n = need(b, 4).getInt();
                if (n < 0 || n != b.remaining()) {
                    throw new ProtocolException("head length " + n + " does not match the frame");
                }
                byte[] head = new byte[n];
                b.get(head);
                if (fds.isEmpty()) {
                    throw new ProtocolException("ROUTE without its fd");
                }
                return Frame.routeReceived(id, pool, head, fds.poll());
            }
            case Frame.ACCEPTED:
            case Frame.STOP_READING:
            case Frame.ROUTES_QUERY:
                return Frame.of(type, id, 0, null);
            case Frame.REFUSED:
            case Frame.ROUTES:
                return Frame.of(type, id, 0, text(b));
            case Frame.DONE:
                return Frame.of(type, id, need(b, 8).getLong(), null);
            case Frame.FAILED: {
                long bytes = need(b, 8).getLong();
                return Frame.of(type, id, bytes, text(b));
            }
            default:
                throw new ProtocolException("unknown frame type " + type);
        }
    }

    private static ByteBuffer need(ByteBuffer b, int n) throws ProtocolException {
        if (b.remaining() < n) {
            throw new ProtocolException("frame truncated");
        }
        return b;
    }

    private static String text(ByteBuffer b) throws ProtocolException {
        int n = need(b, 2).getShort() & 0xffff;
        if (n > b.remaining()) {
            throw new ProtocolException("reason length " + n + " exceeds the frame");
        }
        byte[] t = new byte[n];
        b.get(t);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(t)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("reason is not UTF-8");
        }
    }

    /** At end of stream: bytes left over mean the peer stopped mid-frame. */
    public void endOfStream() throws ProtocolException {
        if (len > 0) {
            throw new ProtocolException("connection closed mid-frame (" + len + " bytes)");
        }
    }

    /** Closes every fd that arrived but was not claimed by a frame. */
    @Override
    public void close() {
        for (Integer fd; (fd = fds.poll()) != null; ) {
            LinuxIo.close(fd);
        }
    }

    /** Fds received and not yet claimed (for tests). */
    int pendingFds() {
        return fds.size();
    }
}
