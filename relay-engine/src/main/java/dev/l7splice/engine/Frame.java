package dev.l7splice.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One message on the hand-off socket between the agent and a sidecar relay. Wire format, all
 * integers big-endian:
 * <pre>
 *   u32 length      bytes after this field, 14..MAX_BODY
 *   u8  version     1
 *   u8  type        1 HANDOFF, 2 ACCEPTED, 3 REFUSED, 4 DONE, 5 FAILED, 6 STOP_READING,
 *                   7 ROUTES_QUERY (agent asks), 8 ROUTES (relay answers), 9 ROUTE
 *   u16 flags       HANDOFF only: bit 0 = shut the destination's output down at end of stream
 *   u64 id          chosen by the agent, unique per control connection
 *   HANDOFF:        u32 prefix length, prefix bytes (what the application already held);
 *                   exactly two fds ride on the message (SCM_RIGHTS): source, then destination
 *   REFUSED:        u16 reason length, UTF-8 reason
 *   DONE:           u64 bytes delivered
 *   FAILED:         u64 bytes delivered, u16 reason length, UTF-8 reason
 *   ROUTES:         u16 text length, UTF-8 lines "HOST:PORT=RELAYPORT" (at most 16 KiB): connections
 *                   the application opens to HOST:PORT are served by the relay's pool listening
 *                   on 127.0.0.1:RELAYPORT
 *   ROUTE:          u16 pool length, UTF-8 pool name, u32 head length, head bytes; one fd rides
 *                   on the message (SCM_RIGHTS): the client connection, which the relay takes over
 *                   whole: it picks a server of the pool, connects, writes the head, then splices
 *                   both directions (DONE when both ended; an HTTP 503 and FAILED with no server)
 *   ACCEPTED, STOP_READING, ROUTES_QUERY: nothing more
 * </pre>
 * Immutable.
 */
public final class Frame {

    public static final int VERSION = 1;
    public static final int HANDOFF = 1;
    public static final int ACCEPTED = 2;
    public static final int REFUSED = 3;
    public static final int DONE = 4;
    public static final int FAILED = 5;
    public static final int STOP_READING = 6;
    public static final int ROUTES_QUERY = 7;
    public static final int ROUTES = 8;
    public static final int ROUTE = 9;
    /** Longest ROUTES text; other reasons are cut at 1 KiB. */
    public static final int MAX_ROUTES_TEXT = 16 * 1024;
    /** Largest body accepted: a prefix of up to 64 KiB plus the fixed fields. */
    public static final int MAX_BODY = 64 * 1024 + 32;
    static final int HEADER = 12; // version, type, flags, id

    public final int type;
    public final int flags;
    public final long id;
    public final byte[] prefix;
    public final long bytes;
    public final String reason;
    /** HANDOFF only: the fds that came with the message (owned by the receiver). */
    public final int srcFd;
    public final int dstFd;

    private Frame(int type, int flags, long id, byte[] prefix, long bytes, String reason, int srcFd, int dstFd) {
        this.type = type;
        this.flags = flags;
        this.id = id;
        this.prefix = prefix;
        this.bytes = bytes;
        this.reason = reason;
        this.srcFd = srcFd;
        this.dstFd = dstFd;
    }

    public static Frame handoff(long id, int flags, byte[] prefix) {
        return new Frame(HANDOFF, flags, id, prefix, 0, null, -1, -1);
    }

    static Frame handoffReceived(long id, int flags, byte[] prefix, int srcFd, int dstFd) {
        return new Frame(HANDOFF, flags, id, prefix, 0, null, srcFd, dstFd);
    }

    /** ROUTE: {@code reason} carries the pool name, {@code prefix} the head. */
    public static Frame route(long id, String pool, byte[] head) {
        return new Frame(ROUTE, 0, id, head, 0, pool, -1, -1);
    }

    static Frame routeReceived(long id, String pool, byte[] head, int clientFd) {
        return new Frame(ROUTE, 0, id, head, 0, pool, clientFd, -1);
    }

    public static Frame of(int type, long id, long bytes, String reason) {
        return new Frame(type, 0, id, null, bytes, reason, -1, -1);
    }

    /** The encoded message, length field included. */
    public byte[] encode() {
        byte[] why = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int maxText = type == ROUTES ? MAX_ROUTES_TEXT : 1024;
        if (why.length > maxText) {
            if (type == ROUTES) {
                throw new IllegalArgumentException("routes text over " + MAX_ROUTES_TEXT + " bytes");
            }
            why = java.util.Arrays.copyOf(why, maxText);
        }
        int body = HEADER;
        switch (type) {
            case HANDOFF: body += 4 + prefix.length; break;
            case ROUTE: body += 2 + why.length + 4 + prefix.length; break;
            case REFUSED:
            case ROUTES: body += 2 + why.length; break;
            case DONE: body += 8; break;
            case FAILED: body += 8 + 2 + why.length; break;
            default: break;
        }
        if (body > MAX_BODY) {
            throw new IllegalArgumentException("frame too large: " + body);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + body);
        b.putInt(body).put((byte) VERSION).put((byte) type).putShort((short) flags).putLong(id);
        switch (type) {
            case HANDOFF: b.putInt(prefix.length).put(prefix); break;
            case ROUTE: b.putShort((short) why.length).put(why).putInt(prefix.length).put(prefix); break;
            case REFUSED:
            case ROUTES: b.putShort((short) why.length).put(why); break;
            case DONE: b.putLong(bytes); break;
            case FAILED: b.putLong(bytes).putShort((short) why.length).put(why); break;
            default: break;
        }
        return b.array();
    }

    @Override
    public String toString() {
        return "frame type=" + type + " id=" + id + (reason != null ? " reason=" + reason : "");
    }
}
