package dev.l7splice.kernel;

import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipes for splice(2), held by a transfer only while it runs. A pipe goes back to the pool only
 * when it is empty (checked with FIONREAD): a pipe that still holds bytes of one connection must
 * never carry them into another. At most {@code max} pipes exist at once; when none can be had the
 * caller falls back to a user-space copy. Thread-safe.
 */
public final class PipePool implements PipeSource {

    /**
     * A pipe: both ends and the capacity the kernel granted. Public with public final fields: the
     * agent's splice loops read them on every call.
     */
    public static final class Pipe implements PipeLease {
        public final int readFd;
        public final int writeFd;
        public final int capacity;

        Pipe(int readFd, int writeFd, int capacity) {
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.capacity = capacity;
        }

        @Override
        public int readFd() {
            return readFd;
        }

        @Override
        public int writeFd() {
            return writeFd;
        }

        @Override
        public int capacity() {
            return capacity;
        }
    }

    static final int MIN_USEFUL_SIZE = 64 * 1024;

    private final int targetSize;
    private final int max;
    private final int idleMax;
    private final ConcurrentLinkedDeque<Pipe> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * Runs the deque's call sites once, on whatever thread starts the process (the agent's preload
     * thread): their first run links VarHandles through a VM frame under a JDK lock, which pinned a
     * virtual thread's carrier when two transfers gave their first pipes back at once
     * (HelidonPinningIT). The links belong to the JDK's call sites, not to a deque, so a throwaway
     * one does it.
     */
    public static void warmLinkage() {
        ConcurrentLinkedDeque<Object> d = new ConcurrentLinkedDeque<>();
        d.offerFirst(d);
        d.size();
        d.pollFirst();
        d.pollFirst();
    }

    public PipePool(int requestedSize, int max) {
        this.targetSize = Math.min(requestedSize, systemMaxPipeSize());
        this.max = max;
        this.idleMax = Math.min(max, 16);
    }

    /** The kernel's limit for unprivileged F_SETPIPE_SZ; 1 MiB when it cannot be read. */
    private static int systemMaxPipeSize() {
        try {
            // Read as a stream: procfs reports a size that makes whole-file reads come up short.
            try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/fs/pipe-max-size"))) {
                return Integer.parseInt(r.readLine().trim());
            }
        } catch (IOException | RuntimeException e) {
            return 1 << 20;
        }
    }

    /** Returns an empty pipe, or null when the limit is reached or the kernel refuses one. */
    @Override
    public Pipe acquire() {
        Pipe p = idle.pollFirst();
        if (p != null) {
            return p;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return null;
        }
        long fds = LinuxIo.pipe();
        if (fds < 0) {
            open.decrementAndGet();
            return null;
        }
        int readFd = (int) (fds >>> 32);
        int writeFd = (int) fds;
        // Larger pipes mean fewer splice calls per MB. If the kernel refuses (per-user pipe page
        // limits), keep the pipe at whatever size it has: still correct, just more calls.
        int size = LinuxIo.setPipeSize(writeFd, targetSize);
        if (size < 0) {
            size = LinuxIo.pipeSize(writeFd);
        }
        if (size < MIN_USEFUL_SIZE) {
            // Over the per-user pipe page limit the kernel hands out one- or two-page pipes:
            // splicing through those costs more than the copy it replaces.
            close(readFd, writeFd);
            return null;
        }
        return new Pipe(readFd, writeFd, size);
    }

    /** Gives a pipe back: pooled if empty and the pool has room, closed otherwise. */
    @Override
    public void release(PipeLease lease) {
        Pipe p = (Pipe) lease;
        if (LinuxIo.readable(p.readFd) == 0 && idle.size() < idleMax) {
            idle.offerFirst(p);
        } else {
            close(p.readFd, p.writeFd);
        }
    }

    /** The relay loop's return: it spliced out every byte it spliced in, so no FIONREAD. */
    @Override
    public void releaseEmpty(PipeLease lease) {
        Pipe p = (Pipe) lease;
        if (idle.size() < idleMax) {
            idle.offerFirst(p);
        } else {
            close(p.readFd, p.writeFd);
        }
    }

    private void close(int readFd, int writeFd) {
        LinuxIo.close(readFd);
        LinuxIo.close(writeFd);
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
