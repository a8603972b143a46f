package org.springframework.web.context.request.async;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Test stand-in with spring-web 7's exact class names and the members the agent reaches (not Spring's code):
 * a request state, its lock, the lifecycle response whose private and package-private methods the agent
 * calls, and the lifecycle stream that brackets each write with them. No jakarta types: the agent only
 * needs an OutputStream. {@link #complete()} and {@link #fail()} take the lock as Spring's onComplete and
 * onError do.
 */
public class StandardServletAsyncWebRequest {

    public enum State { NEW, ASYNC, ERROR, COMPLETED }

    volatile State state;
    final ReentrantLock stateLock = new ReentrantLock();
    private final LifecycleHttpServletResponse response = new LifecycleHttpServletResponse(this);

    public StandardServletAsyncWebRequest(State state) {
        this.state = state;
    }

    public State state() {
        return state;
    }

    public ReentrantLock lock() {
        return stateLock;
    }

    /** The stream a handler is given over the server's {@code delegate}. */
    public OutputStream stream(OutputStream delegate) {
        return new LifecycleServletOutputStream(delegate, response);
    }

    /** A lifecycle stream whose response is missing: a shape the agent must refuse. */
    public static OutputStream broken(OutputStream delegate) {
        return new LifecycleServletOutputStream(delegate, null);
    }

    public void complete() {
        stateLock.lock();
        try {
            state = State.COMPLETED;
        } finally {
            stateLock.unlock();
        }
    }

    /** 0 and no lock while synchronous; 1 and the lock while async; -1 when no longer usable. */
    private int tryObtainLock() {
        while (state == State.ASYNC) {
            try {
                if (stateLock.tryLock(500, TimeUnit.MILLISECONDS)) {
                    if (state == State.ASYNC) {
                        return 1;
                    }
                    stateLock.unlock();
                }
            } catch (InterruptedException e) {
                // try again, as Spring does
            }
        }
        return state == State.NEW ? 0 : -1;
    }

    static final class LifecycleHttpServletResponse {

        private final StandardServletAsyncWebRequest request;

        LifecycleHttpServletResponse(StandardServletAsyncWebRequest request) {
            this.request = request;
        }

        private int obtainLockOrRaiseException() throws AsyncRequestNotUsableException {
            int stamp = request.tryObtainLock();
            if (stamp == -1) {
                throw new AsyncRequestNotUsableException("not usable: " + request.state);
            }
            return stamp;
        }

        void handleIOException(IOException e, String what) throws AsyncRequestNotUsableException {
            request.state = State.ERROR;
            throw new AsyncRequestNotUsableException(what + ": " + e.getMessage(), e);
        }

        void releaseLock(int stamp) {
            if (stamp > 0) {
                request.stateLock.unlock();
            }
        }
    }

    static final class LifecycleServletOutputStream extends OutputStream {

        private final OutputStream delegate;
        private final LifecycleHttpServletResponse response;

        LifecycleServletOutputStream(OutputStream delegate, LifecycleHttpServletResponse response) {
            this.delegate = delegate;
            this.response = response;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (response == null) { // the broken shape: a plain pass-through, so the test can read its body
                delegate.write(b, off, len);
                return;
            }
            int stamp = response.obtainLockOrRaiseException();
            try {
                delegate.write(b, off, len);
            } catch (IOException e) {
                response.handleIOException(e, "ServletOutputStream failed to write");
            } finally {
                response.releaseLock(stamp);
            }
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
