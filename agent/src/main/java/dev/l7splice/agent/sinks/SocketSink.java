package dev.l7splice.agent.sinks;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.ends.Framing;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A connected JDK socket's output stream, or exactly a {@code BufferedOutputStream} over one, as a
 * sink: raw bytes, no declared length, nothing to count afterwards (the JDK's socket streams keep no
 * count), and short bodies taken too (there is no owner's commit to pay for). {@link #prepare}
 * waits for a relay that may still owe this socket bytes (hand-off modes) before the first byte of
 * the body, {@link #flushOwner} pushes out what the buffer holds before the first kernel byte. A
 * relay may take the body over ({@link #socket}). Failures are the JDK socket stream's own: an
 * interrupted virtual thread waiting to write closes the socket with "Closed by interrupt". The
 * calling thread only.
 */
public final class SocketSink implements SinkEnd {

    private final OutputStream out;
    private final Socket socket;
    private final int fd;

    private SocketSink(OutputStream out, Socket socket, int fd) {
        this.out = out;
        this.socket = socket;
        this.fd = fd;
    }

    /** The JDK socket stream behind {@code out} (directly or through a BufferedOutputStream), or null. Cheap. */
    public static OutputStream socketStream(OutputStream out) {
        OutputStream raw = out.getClass() == BufferedOutputStream.class
                ? JdkSockets.innerOf((BufferedOutputStream) out) : out;
        return raw != null && raw.getClass() == JdkSockets.socketOut ? raw : null;
    }

    /** The sink for {@code out}, whose socket stream is {@code raw} ({@link #socketStream}), or null with the reason refused. */
    public static SinkEnd of(OutputStream out, OutputStream raw, Refusals refusals) {
        Socket s = JdkSockets.socketOfOutput(raw);
        if (s.isClosed() || !s.isConnected() || s.isOutputShutdown()) {
            refusals.refuse("socket-state", null);
            return null;
        }
        int fd = JdkSockets.fdOf(s);
        if (fd < 0) {
            refusals.refuse("socket-impl", s.getClass().getName());
            return null;
        }
        return new SocketSink(out, s, fd);
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public OutputStream owner() {
        return out;
    }

    @Override
    public long room() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean keepsShortBodies() {
        return false;
    }

    @Override
    public void prepare() throws IOException {
        L7Dispatch.beforeSocketWrite(socket);
    }

    @Override
    public String flushOwner() throws IOException {
        out.flush();
        return null;
    }

    @Override
    public Socket socket() {
        return socket;
    }

    /** An interrupted virtual thread waiting to write: as the JDK's socket stream. A write timeout is not an interrupt. */
    @Override
    public IOException failed(IOException e) {
        if (!(e instanceof InterruptedIOException) || e instanceof SocketTimeoutException) {
            return e;
        }
        return JdkSockets.closedByInterrupt(socket);
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public Framing framing() {
        return Framing.RAW;
    }

    @Override
    public void moved(long body, long wire) {
        // the JDK's socket streams count nothing
    }
}
