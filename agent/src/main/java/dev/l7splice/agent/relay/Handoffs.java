package dev.l7splice.agent.relay;

import dev.l7splice.agent.bootstrap.SocketHook;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application-side contract of a hand-off: while a relay completes a body, whatever the
 * application does with either socket behaves as if the body had been delivered first.
 * <ul>
 *   <li>{@code close()} happens after the bodies relayed into the socket are delivered. A socket
 *       that is only a source is closed after the relay reached its end of stream (its body); if
 *       the application wrote to it after the hand-off, its output is shut down at once. A
 *       socket that both received and sent relayed bytes (a two-way exchange) stops being read
 *       once what was owed to it is delivered, as close() ends a blocked read, then closes.
 *       A close is never passed to the kernel while a relay still needs the socket.
 *   <li>{@code shutdownOutput()} waits for the bodies being written into the socket.
 *   <li>a write to a socket waits until bodies relayed into it are delivered; a read from a socket
 *       waits until the relay stopped reading it (and then sees what follows).
 * </ul>
 * Thread contract: every method may be called from any thread; state is guarded by this object's
 * monitor, and the real close / shutdown run outside it. A relay that fails closes both sockets,
 * as an application would after a failed copy.
 */
public final class Handoffs implements SocketHook {

    private static final class State {
        int writers;
        boolean hadWriters;
        boolean appWrote;
        boolean outputShut;
        final List<Object> readers = new ArrayList<>();
        final List<Runnable> readerStops = new ArrayList<>();
        boolean closeRequested;
        boolean shutdownOutputRequested;
    }

    private final Map<Socket, State> states = new IdentityHashMap<>();
    private volatile int size;

    /**
     * Records a transfer (any unique key) before it is handed over, so the application's next call
     * already sees it. {@code stopReading} asks the relay to stop reading the source and finish.
     */
    public synchronized void begin(Socket src, Socket dst, Object transfer, Runnable stopReading) {
        State s = states.computeIfAbsent(src, k -> new State());
        s.readers.add(transfer);
        s.readerStops.add(stopReading);
        State d = states.computeIfAbsent(dst, k -> new State());
        d.writers++;
        d.hadWriters = true;
        size = states.size();
    }

    /** Called once per transfer when it ends, on its loop thread. */
    public void end(Socket src, Socket dst, Object t, boolean failed) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            State s = states.get(src);
            if (s != null) {
                int i = s.readers.indexOf(t);
                if (i >= 0) {
                    s.readers.remove(i);
                    s.readerStops.remove(i);
                }
                s.closeRequested |= failed;
            }
            State d = states.get(dst);
            if (d != null) {
                d.writers--;
                d.closeRequested |= failed;
            }
            settle(src, actions);
            settle(dst, actions);
            notifyAll();
        }
        actions.forEach(Runnable::run);
    }

    /** Decides what a socket's recorded requests now allow; runs under the monitor. */
    private void settle(Socket sock, List<Runnable> actions) {
        State st = states.get(sock);
        if (st == null || st.writers > 0) {
            return;
        }
        if (st.shutdownOutputRequested) {
            st.shutdownOutputRequested = false;
            actions.add(() -> quietly(sock::shutdownOutput));
        }
        if (st.closeRequested && !st.readers.isEmpty()) {
            if (!st.hadWriters) {
                // A pure source: its body is everything up to its end of stream, then the close.
                // If the application itself wrote to it after the hand-off (a response to an
                // upload being relayed), its output is complete: the peer gets its FIN now, as it
                // would from the close, and the relay still reads the body to its end.
                if (st.appWrote && !st.outputShut) {
                    st.outputShut = true;
                    actions.add(() -> quietly(sock::shutdownOutput));
                }
                return;
            }
            // A socket that received relayed bytes too is a two-way exchange; once what was owed to
            // it is delivered, closing it ends the reads from it, as close() ends a blocked read.
            actions.addAll(st.readerStops);
            return;
        }
        if (st.readers.isEmpty()) {
            states.remove(sock); // from here the advice lets every call through
            size = states.size();
            if (st.closeRequested) {
                actions.add(() -> quietly(sock::close));
            }
        }
    }

    @Override
    public boolean deferClose(Socket s) {
        if (size == 0) {
            return false;
        }
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            State st = states.get(s);
            if (st == null) {
                return false;
            }
            st.closeRequested = true;
            settle(s, actions);
        }
        actions.forEach(Runnable::run);
        return true;
    }

    @Override
    public synchronized boolean deferShutdownOutput(Socket s) {
        if (size == 0) {
            return false;
        }
        State st = states.get(s);
        if (st == null || st.writers == 0) {
            return false;
        }
        st.shutdownOutputRequested = true;
        return true;
    }

    @Override
    public void beforeWrite(Socket s) throws IOException {
        if (size == 0) {
            return;
        }
        synchronized (this) {
            State st;
            while ((st = states.get(s)) != null && st.writers > 0) {
                waitForChange();
            }
            if (st != null) {
                st.appWrote = true;
            }
        }
    }

    @Override
    public void beforeRead(Socket s) throws IOException {
        if (size == 0) {
            return;
        }
        synchronized (this) {
            for (State st; (st = states.get(s)) != null && !st.readers.isEmpty(); ) {
                waitForChange();
            }
        }
    }

    /** Sockets with a relay still attached. */
    public int size() {
        return size;
    }

    private void waitForChange() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a relayed body was in flight");
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            // the socket is already gone: nothing left to do
        }
    }
}
