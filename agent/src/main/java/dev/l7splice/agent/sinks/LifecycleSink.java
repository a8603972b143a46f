package dev.l7splice.agent.sinks;

import dev.l7splice.agent.ends.Framing;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A server sink under Spring MVC 7's lifecycle stream ({@link SpringLifecycle}), holding the request's lock
 * from before the sink was resolved until {@link #release()}. Everything is the sink's below, except: the
 * owner is Spring's lifecycle stream (bytes copied in user space take Spring's own write path, its lock
 * re-entered by this thread), and a failure of the kernel part goes through Spring's {@code
 * handleIOException}, so Spring's state becomes ERROR and the application gets Spring's exception, as from
 * a failed write.
 *
 * <p>Why one lock for the whole transfer loses or reorders nothing against a loop of writes: while the
 * request is synchronous (state NEW: a controller's {@code ResponseEntity<Resource>}, a handler writing
 * {@code getOutputStream()}), Spring takes no lock and no callback is registered, so there is nothing to
 * hold. While it is async (a {@code StreamingResponseBody} on Spring's executor), the lock only orders the
 * writer against Spring's {@code onError} and {@code onComplete} (they take it and set ERROR or COMPLETED;
 * {@code onTimeout} takes none, it dispatches). The lock is not fair and the writer re-takes it at once
 * after each write, so "every piece, then the callback" is one of the orders the loop itself can run in;
 * the callback still runs, once, after the last byte, and sees the state the transfer left; no byte goes
 * out after COMPLETED or ERROR, nor before the state was checked. What differs is timing: a callback that
 * arrives mid-body waits for the rest of the body (each stall bounded by the sink's write timeout) where
 * the loop would have let it in after one write, so an async request timeout that fires during a long
 * body ends the request after the body instead of cutting it. A client that goes away fails the kernel
 * transfer itself, which ends it at once, as it fails the loop's write. Known difference: a source that
 * fails during the kernel part also goes through {@link #failed} (the engine does not tell the ends'
 * errors apart there, as for the bare server sinks), where the loop's failed read leaves Spring's state.
 *
 * <p>Thread contract: one transfer, on the thread that resolved it (the lock is that thread's);
 * {@link #release()} once, on that thread.
 */
final class LifecycleSink implements SinkEnd {

    private final SinkEnd below;
    private final OutputStream lifecycle;
    private final Object response;
    private final SpringLifecycle.Handles handles;
    private final int stamp;
    private boolean released;

    LifecycleSink(SinkEnd below, OutputStream lifecycle, Object response, SpringLifecycle.Handles handles, int stamp) {
        this.below = below;
        this.lifecycle = lifecycle;
        this.response = response;
        this.handles = handles;
        this.stamp = stamp;
    }

    @Override
    public String name() {
        return below.name();
    }

    @Override
    public OutputStream owner() {
        return lifecycle;
    }

    @Override
    public long room() {
        return below.room();
    }

    @Override
    public long ownerFirst() {
        return below.ownerFirst();
    }

    @Override
    public String flushOwner() throws IOException {
        return below.flushOwner();
    }

    @Override
    public int fd() {
        return below.fd();
    }

    @Override
    public boolean isClosed() {
        return below.isClosed();
    }

    @Override
    public Framing framing() {
        return below.framing();
    }

    @Override
    public long writeTimeoutMillis() {
        return below.writeTimeoutMillis();
    }

    @Override
    public boolean chunkOpen() {
        return below.chunkOpen();
    }

    @Override
    public void progress() {
        below.progress();
    }

    @Override
    public void moved(long body, long wire) {
        below.moved(body, wire);
    }

    @Override
    public void bodyComplete() throws IOException {
        below.bodyComplete();
    }

    /** The server's own handling first, then Spring's, as a failed write on Spring's stream has both. */
    @Override
    public IOException failed(IOException e) {
        if (e.getClass().getName().equals("org.springframework.web.context.request.async.AsyncRequestNotUsableException")) {
            return e; // raised by Spring's own stream (a user-space part): already handled there
        }
        IOException server = below.failed(e);
        try {
            handles.handleIOException().invoke(response, server, SpringLifecycle.WRITE_FAILED);
            return server; // another version that does not raise: the server's exception
        } catch (IOException spring) {
            return spring;
        } catch (Throwable t) {
            server.addSuppressed(t);
            return server;
        }
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            below.release();
            SpringLifecycle.release(handles, response, stamp);
        }
    }
}
