package dev.l7splice.relay.handoff;

import dev.l7splice.kernel.nativeio.LinuxIo;

/**
 * What the relay still has to tell one agent, over its non-blocking control socket. A sender (a
 * relay loop ending a transfer, the control thread answering, a reload pushing routes) never
 * waits: a frame goes out at once when nothing is queued and the socket takes it, otherwise it is
 * appended to this buffer, which the control thread flushes, in large writes, once the socket is
 * writable. An agent that stops reading (a stopped or frozen JVM) thus costs the relay this buffer
 * only, up to {@code limitBytes}; past that, or when nothing was taken for the stall timeout, the
 * control thread drops the agent ({@link #trouble}).
 * Thread contract: any thread; every method holds the monitor for non-blocking writes only.
 */
final class AgentOutbox {

    private final int fd;
    private final long limitBytes;
    private final Runnable wake;
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    private long lastProgressNanos;
    private String trouble;

    /** @param wake tells the control thread that something is queued or went wrong */
    AgentOutbox(int fd, long limitBytes, Runnable wake) {
        this.fd = fd;
        this.limitBytes = limitBytes;
        this.wake = wake;
    }

    /** Sends or queues one frame; false (and the frame dropped) once the agent is being dropped. */
    synchronized boolean send(byte[] wire) {
        if (trouble != null) {
            return false;
        }
        int off = 0;
        if (start == end) {
            off = writeSome(wire, 0, wire.length);
            if (off == wire.length || off < 0) {
                return off >= 0;
            }
        }
        if ((long) (end - start) + wire.length - off > limitBytes) {
            fail("more than " + limitBytes + " bytes of frames queued for an agent that does not read them");
            return false;
        }
        append(wire, off);
        return true;
    }

    /** Control thread, the socket being writable: writes what it takes; true while bytes remain. */
    synchronized boolean flush() {
        if (trouble == null && start < end) {
            int w = writeSome(buf, start, end);
            if (w >= 0) {
                start = w;
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
        }
        return trouble == null && start < end;
    }

    synchronized boolean pending() {
        return trouble == null && start < end;
    }

    /** Why the agent must be dropped now, or null: a failed write, an overflow, a stall. */
    synchronized String trouble(long nowNanos, long stallNanos) {
        if (trouble == null && start < end && nowNanos - lastProgressNanos > stallNanos) {
            fail("an agent took none of its frames for " + stallNanos / 1_000_000_000L + " s");
        }
        return trouble;
    }

    /** No write may use the fd once this returns: the caller closes it next. */
    synchronized void close() {
        if (trouble == null) {
            trouble = "closed";
        }
        drop();
    }

    /** Writes {@code b[from..to)} as far as the socket takes it: the new offset, or -1 on an error. */
    private int writeSome(byte[] b, int from, int to) {
        int off = from;
        while (off < to) {
            int w = LinuxIo.write(fd, b, off, to - off);
            if (w > 0) {
                off += w;
                lastProgressNanos = System.nanoTime();
            } else if (w == -LinuxIo.EAGAIN) {
                break;
            } else {
                fail("write to the agent failed: errno " + -w);
                return -1;
            }
        }
        return off;
    }

    private void append(byte[] wire, int off) {
        int n = wire.length - off;
        if (start == end) {
            start = 0;
            end = 0;
            lastProgressNanos = System.nanoTime(); // the stall clock starts with the first queued byte
        }
        if (end + n > buf.length) {
            int live = end - start;
            byte[] grown = live + n > buf.length / 2 ? new byte[Math.max(buf.length * 2, live + n)] : buf;
            System.arraycopy(buf, start, grown, 0, live);
            buf = grown;
            start = 0;
            end = live;
        }
        System.arraycopy(wire, off, buf, end, n);
        end += n;
        if (start == 0 && end == n) {
            wake.run(); // the queue was empty: the control thread must start watching for writability
        }
    }

    private void fail(String why) {
        trouble = why;
        drop();
        wake.run();
    }

    private void drop() {
        buf = new byte[0];
        start = 0;
        end = 0;
    }
}
