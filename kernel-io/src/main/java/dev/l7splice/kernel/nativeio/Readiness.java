package dev.l7splice.kernel.nativeio;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BooleanSupplier;

/**
 * Waits until an fd is ready, the way the calling thread may wait. A platform thread blocks in
 * poll(2). A virtual thread must never block its carrier in native code (that pins it, also after
 * JEP 491), so it parks on the JDK's own poller ({@code sun.nio.ch.Poller}, the one
 * {@code NioSocketImpl} parks virtual threads on). The poller is reached through the {@code sun.nio.ch} package the agent opens to itself at
 * start; where it is missing, switched off ({@code virtual-threads.poller=off}) or has failed once,
 * {@link #parksVirtualThreads()} is false and virtual threads' socket transfers go to the in-process
 * relay instead; a wait that still comes here then polls without blocking and parks between tries.
 * Thread-safe; the only state after class initialisation is whether the poller is still used.
 */
public final class Readiness {

    private static final BooleanSupplier OPEN = () -> true;
    /** {@code Poller.poll(int fd, int event, long nanos, BooleanSupplier isOpen)}, or null. */
    private static final MethodHandle PARK;
    private static final int NET_POLLIN;
    private static final int NET_POLLOUT;
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /** Why the poller is not used (null: it is); written once, by {@link #disable}. */
    private static volatile String disabled;
    /** Longest park between two non-blocking polls once the poller is not used. */
    private static final long BACKOFF_MAX_NANOS = 8_000_000L;

    static {
        MethodHandle park = null;
        int in = 0;
        int out = 0;
        try {
            Class<?> poller = Class.forName("sun.nio.ch.Poller");
            Class<?> net = Class.forName("sun.nio.ch.Net");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(poller, MethodHandles.lookup());
            park = l.findStatic(poller, "poll", MethodType.methodType(void.class, int.class, int.class,
                    long.class, BooleanSupplier.class));
            MethodHandles.Lookup n = MethodHandles.privateLookupIn(net, MethodHandles.lookup());
            in = (short) n.findStaticVarHandle(net, "POLLIN", short.class).get();
            out = (short) n.findStaticVarHandle(net, "POLLOUT", short.class).get();
        } catch (Throwable t) {
            park = null; // Java 17 (no virtual threads), or a JDK whose poller has another shape
        }
        PARK = park;
        NET_POLLIN = in;
        NET_POLLOUT = out;
    }

    private Readiness() {
    }

    /** True when virtual threads can wait here without pinning their carrier. */
    public static boolean parksVirtualThreads() {
        return PARK != null && disabled == null;
    }

    /**
     * Stops using the poller from now on ({@code virtual-threads.poller=off}, or a call that failed).
     * The first reason is kept; waits in progress finish with {@link #backoffPoll}.
     */
    public static void disable(String why) {
        if (disabled == null) {
            disabled = why;
        }
    }

    /** Why virtual threads do not park on the poller: "no poller", the reason given to {@link #disable}, or null. */
    public static String notUsedBecause() {
        return PARK == null ? "no poller in this JDK" : disabled;
    }

    /** True on a virtual thread (never on Java 17). */
    public static boolean onVirtualThread() {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Like {@link LinuxIo#poll}: waits up to {@code timeoutMillis} (more than 0) for {@code events}
     * (POLLIN or POLLOUT, optionally with POLLRDHUP); returns non-zero when the fd may be ready, 0
     * when the time ran out. Callers ask after the kernel said EAGAIN and simply try again, so on a
     * virtual thread no system call checks first or after: a park that ends before its time (the
     * poller saw the fd ready, or a spurious unpark) returns {@code events}, one that lasted its
     * time returns 0. An interrupted virtual thread gets the exception the JDK's own socket read or
     * write would throw it.
     */
    public static int poll(int fd, int events, int timeoutMillis) throws IOException {
        if (!onVirtualThread()) {
            return LinuxIo.poll(fd, events, timeoutMillis);
        }
        if (!parksVirtualThreads()) {
            return backoffPoll(fd, events, timeoutMillis);
        }
        int event = (events & LinuxIo.POLLOUT) != 0 ? NET_POLLOUT : NET_POLLIN;
        long nanos = timeoutMillis * 1_000_000L;
        long start = System.nanoTime();
        try {
            PARK.invokeExact(fd, event, nanos, OPEN);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            // The poller itself failed (never seen): no virtual thread is sent here again, and this
            // wait finishes without it; the caller tries the kernel again as after any wait.
            disable("the poller failed: " + t);
            return backoffPoll(fd, events, (int) Math.max(1, timeoutMillis - (System.nanoTime() - start) / 1_000_000));
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException();
        }
        return System.nanoTime() - start < nanos ? events : 0;
    }

    /**
     * A wait that never blocks in the kernel: poll(2) with a zero timeout, then a park (which
     * unmounts a virtual thread) of 50 us growing to 8 ms, until ready or {@code timeoutMillis}.
     * Only for the waits that still need it after the poller was given up (transfers already
     * running, the sidecar's short frame writes); new transfers go to the relay.
     */
    static int backoffPoll(int fd, int events, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pause = 50_000L;
        for (;;) {
            int r = LinuxIo.poll(fd, events, 0);
            if (r != 0) {
                return r;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException();
            }
            pause = Math.min(pause * 2, BACKOFF_MAX_NANOS);
        }
    }

    /**
     * Runs one short wait on a new virtual thread and waits for it (at most a second): every class
     * that path names is then resolved. Resolving a name goes through a class loader's lock, and a
     * virtual thread that meets another thread there stays pinned; a burst of first transfers on
     * virtual threads met it. For the agent's preloading thread; does nothing without the poller.
     */
    public static void warmVirtualWait() {
        if (!parksVirtualThreads()) {
            return;
        }
        long p = LinuxIo.pipe();
        if (p < 0) {
            return;
        }
        int readFd = (int) (p >>> 32);
        int writeFd = (int) p;
        try {
            Thread t = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, new OneWait(readFd));
            t.join(1000);
        } catch (ReflectiveOperationException | InterruptedException | RuntimeException e) {
            // not warmed: the first waits resolve those names themselves
        } finally {
            LinuxIo.close(readFd);
            LinuxIo.close(writeFd);
        }
    }

    /** One 1 ms wait for an fd that never becomes readable. */
    private static final class OneWait implements Runnable {
        private final int fd;

        OneWait(int fd) {
            this.fd = fd;
        }

        @Override
        public void run() {
            try {
                poll(fd, LinuxIo.POLLIN, 1);
            } catch (IOException e) {
                // interrupted: nothing to warm
            }
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
