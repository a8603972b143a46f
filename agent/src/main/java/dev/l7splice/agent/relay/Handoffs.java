package dev.l7splice.agent.relay;

import dev.l7splice.agent.bootstrap.SocketHook;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * The application-side contract of a hand-off. A handed-off {@code transferTo} returns at once,
 * but for the thread that called it the copy is still running until the relay reaches the
 * source's end of stream: everything that thread does next with either socket happens, as with
 * the JDK's own loop, after the body. Other threads' calls are ordered so that no byte is lost:
 * <ul>
 *   <li>{@code close()} never ends a relayed transfer early. The socket's FIN goes out once every
 *       body relayed into it is delivered and every transfer of the closing thread on it has
 *       ended; its fd is closed once the relays reading it reach their end of stream too (their
 *       peer, having seen the FIN, usually closes at once). A close from a thread with no transfer
 *       of its own on the socket thus ends no read: the JDK would have ended a blocked read there,
 *       losing nothing, and the relay reads on to the end instead.
 *   <li>{@code shutdownOutput()} happens after the bodies being relayed into the socket and after
 *       the calling thread's own transfers on it.
 *   <li>a write waits until the bodies relayed into the socket are delivered, a read until no relay
 *       reads the socket any more; both also wait for the calling thread's own transfers on it.
 * </ul>
 * A relayed transfer that fails (a reset, an idle timeout, the relay gone) has already reset both
 * of its sockets, so neither peer mistakes a short body for a whole one; both sockets are then
 * closed, as an application would after a failed copy.
 * Thread contract: every method may be called from any thread; state is guarded by one
 * {@link ReentrantLock} (not a monitor: a virtual thread waiting on a monitor pins its carrier
 * before Java 24), and the real close / shutdown run outside it.
 */
public final class Handoffs implements SocketHook {

    /** One handed-off transfer and the application thread that handed it off. */
    private record Entry(Object key, Thread owner) {
    }

    private static final class State {
        final List<Entry> readers = new ArrayList<>();
        final List<Entry> writers = new ArrayList<>();
        /** Transfers that must end before a requested FIN / close (the requesting threads' own). */
        final List<Entry> shutdownAfter = new ArrayList<>();
        final List<Entry> closeAfter = new ArrayList<>();
        boolean shutdownRequested;
        boolean closeRequested;
        boolean outputShut;

        boolean ownedBy(Thread t) {
            return owned(readers, t) || owned(writers, t);
        }

        void ownEntries(Thread t, List<Entry> into) {
            for (List<Entry> l : List.of(readers, writers)) {
                for (Entry e : l) {
                    if (e.owner == t && !into.contains(e)) {
                        into.add(e);
                    }
                }
            }
        }

        void forget(Entry e) {
            readers.remove(e);
            writers.remove(e);
            shutdownAfter.remove(e);
            closeAfter.remove(e);
        }

        private static boolean owned(List<Entry> l, Thread t) {
            for (Entry e : l) {
                if (e.owner == t) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<Socket, State> states = new IdentityHashMap<>();
    private final Map<Object, Entry> entries = new IdentityHashMap<>();
    private final ToIntFunction<Socket> fdOf;
    private volatile int size;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a transfer ends: a waiting read or write looks again. */
    private final Condition changed = lock.newCondition();

    /** @param fdOf a socket's own fd (the JDK's), or -1 */
    public Handoffs(ToIntFunction<Socket> fdOf) {
        this.fdOf = fdOf;
    }

    /**
     * Resets the connections of a transfer whose outcome is unknown (its relay went away): an RST
     * to each peer, so that neither takes what it got for a whole body. The sockets are still
     * open: their close waits for this transfer's end.
     */
    public void reset(Socket src, Socket dst) {
        for (Socket s : src == dst ? List.of(src) : List.of(src, dst)) {
            int fd = fdOf.applyAsInt(s);
            if (fd >= 0) {
                dev.l7splice.kernel.nativeio.LinuxIo.reset(fd);
            }
        }
    }

    /**
     * Records a transfer (any unique key) before it is handed over, on the application thread
     * that hands it off, so that thread's next call already sees it.
     */
    public void begin(Socket src, Socket dst, Object transfer) {
        lock.lock();
        try {
            Entry e = new Entry(transfer, Thread.currentThread());
            entries.put(transfer, e);
            states.computeIfAbsent(src, k -> new State()).readers.add(e);
            states.computeIfAbsent(dst, k -> new State()).writers.add(e);
            size = states.size();
        } finally {
            lock.unlock();
        }
    }

    /** Called once per transfer when it ends (a relay thread, or the hand-off's own on refusal). */
    public void end(Socket src, Socket dst, Object t, boolean failed) {
        List<Runnable> actions = new ArrayList<>();
        lock.lock();
        try {
            Entry e = entries.remove(t);
            for (Socket s : src == dst ? List.of(src) : List.of(src, dst)) {
                State st = states.get(s);
                if (st != null) {
                    if (e != null) {
                        st.forget(e);
                    }
                    st.closeRequested |= failed;
                    settle(s, st, actions);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        actions.forEach(Runnable::run);
    }

    /** Decides what a socket's recorded requests now allow; runs under the lock. */
    private void settle(Socket sock, State st, List<Runnable> actions) {
        if (!st.writers.isEmpty()) {
            return; // a body is still being relayed into it: nothing may end its output yet
        }
        boolean shutNow = st.shutdownRequested && st.shutdownAfter.isEmpty();
        boolean closeNow = st.closeRequested && st.closeAfter.isEmpty();
        if (shutNow) {
            st.shutdownRequested = false;
        }
        if (closeNow && st.readers.isEmpty()) {
            states.remove(sock); // from here the advice lets every call through
            size = states.size();
            actions.add(() -> quietly(sock::close));
            return;
        }
        if ((shutNow || closeNow) && !st.outputShut) {
            // The output is complete; relays still reading the socket go on to their end of stream.
            st.outputShut = true;
            actions.add(() -> quietly(sock::shutdownOutput));
        }
        if (st.readers.isEmpty() && !st.closeRequested && !st.shutdownRequested) {
            states.remove(sock);
            size = states.size();
        }
    }

    @Override
    public boolean deferClose(Socket s) {
        if (size == 0) {
            return false;
        }
        List<Runnable> actions = new ArrayList<>();
        lock.lock();
        try {
            State st = states.get(s);
            if (st == null) {
                return false;
            }
            st.closeRequested = true;
            st.ownEntries(Thread.currentThread(), st.closeAfter);
            settle(s, st, actions);
        } finally {
            lock.unlock();
        }
        actions.forEach(Runnable::run);
        return true;
    }

    @Override
    public boolean deferShutdownOutput(Socket s) {
        if (size == 0) {
            return false;
        }
        lock.lock();
        try {
            State st = states.get(s);
            Thread me = Thread.currentThread();
            if (st == null || (st.writers.isEmpty() && !st.ownedBy(me))) {
                return false;
            }
            st.shutdownRequested = true;
            st.ownEntries(me, st.shutdownAfter);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void beforeWrite(Socket s) throws IOException {
        if (size == 0) {
            return;
        }
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            for (State st; (st = states.get(s)) != null && (!st.writers.isEmpty() || st.ownedBy(me)); ) {
                waitForChange();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void beforeRead(Socket s) throws IOException {
        if (size == 0) {
            return;
        }
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            for (State st; (st = states.get(s)) != null && (!st.readers.isEmpty() || st.ownedBy(me)); ) {
                waitForChange();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sockets with a relay still attached. */
    public int size() {
        return size;
    }

    private void waitForChange() throws InterruptedIOException {
        try {
            changed.await();
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
