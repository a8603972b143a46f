package dev.l7splice.agent.sinks.jetty;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.ChannelSink;
import dev.l7splice.agent.ends.Framing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * A Jetty 12 servlet response body (ee10 or ee11 {@code HttpOutput}, blocking, HTTP/1.1, plain) as
 * {@link JettyResolver} found it. Its framing is the one Jetty's generator committed to
 * ({@link JettyConnection#framing()}). Jetty's counts are kept as its own writes keep them: the
 * servlet stream's and the core response's ({@link JettyCounts}), the generator's and the
 * connection's ({@link JettyConnection}). The last chunk and trailers stay Jetty's. Called on the
 * request's thread only.
 */
final class JettySink extends ChannelSink {

    private final JettyCounts counts;
    private final JettyConnection wire;
    private Framing framing;
    private boolean chunkOpen;

    JettySink(OutputStream out, JettyCounts counts, JettyConnection wire, SocketChannel channel, int fd)
            throws ReflectiveOperationException {
        super("jetty", out, channel, fd);
        this.counts = counts;
        this.wire = wire;
        Fields.of(out.getClass(), "_bufferSize"); // what ownerFirst() reads, looked up now (flushOwner fails open)
    }

    @Override
    public long room() {
        try {
            return counts.room();
        } catch (ReflectiveOperationException e) {
            return 0; // looked up when built: cannot happen; 0 keeps the kernel away
        }
    }

    /**
     * Not committed and no declared length: Jetty still decides between Content-Length (the whole
     * body in its last write) and chunked. Its own stream sees one buffer and a byte first, after
     * which it has committed, so the framing on the wire is the one it would have chosen.
     */
    @Override
    public long ownerFirst() {
        try {
            boolean open = !wire.committed() && counts.declared() < 0;
            return open ? (int) Fields.get(out, "_bufferSize") + 1L : 0;
        } catch (ReflectiveOperationException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String flushOwner() throws IOException {
        out.flush(); // Jetty's blocking flush: commits (the head), writes its aggregate, returns once written
        try {
            if (!JettyResolver.enumName(Fields.get(out, "_state")).equals("OPEN")
                    || !JettyResolver.enumName(Fields.get(out, "_apiState")).equals("BLOCKING")
                    || Fields.get(out, "_onError") != null || !channel.isOpen() || wire.writePending()) {
                return "jetty-state";
            }
            Object aggregate = Fields.get(out, "_aggregate");
            if (aggregate != null && (boolean) Fields.method(aggregate.getClass(), "hasRemaining", 0).invoke(aggregate)) {
                return "jetty-state";
            }
            framing = wire.framing();
            if (framing == null) {
                return "jetty-framing";
            }
            if (framing == Framing.FIXED && !counts.agree()) {
                return "jetty-length-state"; // Jetty's core and servlet counts disagree: something wrote around the stream
            }
            chunkOpen = framing == Framing.CHUNKED && wire.takeOpenChunk();
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "jetty-internals";
        }
    }

    @Override
    public Framing framing() {
        return framing;
    }

    @Override
    public boolean chunkOpen() {
        return chunkOpen;
    }

    /** Jetty's idle timeout: its blocking writes fail after it without progress. */
    @Override
    public long writeTimeoutMillis() {
        return wire.idleTimeoutMillis();
    }

    @Override
    public void progress() {
        wire.notIdle();
    }

    @Override
    public void moved(long body, long wire) {
        try {
            counts.add(body);
            this.wire.moved(body, wire);
            this.wire.notIdle();
        } catch (Exception e) {
            throw new IllegalStateException(e); // each was looked up before the first kernel byte
        }
    }

    /** As Jetty's stream does when the write that reaches the declared length returns: it closes (the response is complete). */
    @Override
    public void bodyComplete() throws IOException {
        out.close();
    }

    /** What Jetty does when a write fails: the connection is closed, not reused; the servlet sees Jetty's exception. */
    @Override
    public IOException failed(IOException e) {
        wire.close(e);
        return JettyConnection.asJettys(e, out.getClass().getClassLoader());
    }
}
