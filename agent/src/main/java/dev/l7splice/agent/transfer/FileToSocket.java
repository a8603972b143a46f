package dev.l7splice.agent.transfer;

import static dev.l7splice.kernel.nativeio.LinuxIo.EAGAIN;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sources.FileSource;
import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;

/**
 * File to socket with sendfile(2), on the calling thread, for a source that is exactly a
 * {@code FileInputStream} or the JDK's {@code sun.nio.ch.ChannelInputStream} over a
 * {@code FileChannelImpl} (what {@code Files.newInputStream} and {@code Files.copy(Path, out)}
 * use). On JDK 17 and 25 all of {@code FileInputStream.transferTo(socketOut)},
 * {@code Files.newInputStream(p).transferTo(socketOut)} and {@code Files.copy(p, socketOut)} end
 * in {@code InputStream.transferTo} with one of these receivers, so no extra method is woven.
 *
 * <p>The kernel reads at the file's own offset and advances it (sendfile with a NULL offset, on a
 * dup sharing the open file description): a position set with {@code skip}, {@code getChannel()
 * .position(p)} or earlier reads is honoured and left where the JDK's loop would leave it. Both fds
 * are dup'ed, so a concurrent close can never redirect us to a recycled fd number. Thread-safe.
 */
final class FileToSocket {

    private static final Class<?> CHANNEL_IN = classOrNull("sun.nio.ch.ChannelInputStream");
    private static final String FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";
    /**
     * The most one sendfile(2) call is asked for (nginx's sendfile_max_chunk default). A whole
     * 1 GiB file asked for at once to a slow reader cost the machine 1.31x-1.39x the CPU per GB
     * of the JDK's copy; in 2 MiB calls 0.56x, with the fast reader's figures unchanged
     * (bench/files, 512 MiB and 1 GiB files, 100 MiB/s and unpaced readers).
     */
    static final long SENDFILE_PIECE = 2L << 20;

    private final SocketTransferHook hook;
    private final VarHandle channelOf;
    private final VarHandle channelFd;
    /** instrumentation.file-transfer.enabled: plain socket streams as destinations. */
    private final boolean sockets;

    private FileToSocket(SocketTransferHook hook, VarHandle channelOf, VarHandle channelFd, boolean sockets) {
        this.sockets = sockets;
        this.hook = hook;
        this.channelOf = channelOf;
        this.channelFd = channelFd;
    }

    /** When the JDK's internals are not as expected, channel streams stay with the JDK's code. */
    static FileToSocket create(SocketTransferHook hook, boolean sockets) {
        try {
            Class<?> fileChannel = Class.forName(FILE_CHANNEL);
            VarHandle ch = CHANNEL_IN == null ? null : MethodHandles.privateLookupIn(CHANNEL_IN, MethodHandles.lookup())
                    .findVarHandle(CHANNEL_IN, "ch", java.nio.channels.ReadableByteChannel.class);
            VarHandle fd = MethodHandles.privateLookupIn(fileChannel, MethodHandles.lookup())
                    .findVarHandle(fileChannel, "fd", FileDescriptor.class);
            return new FileToSocket(hook, ch, fd, sockets);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debug("file transfers stay with the JDK: " + e);
            return new FileToSocket(hook, null, null, sockets);
        }
    }

    /** True for the source types this class serves (a cheap class check, nothing else). */
    static boolean isFileSource(Class<?> type) {
        return type == FileInputStream.class || (type == CHANNEL_IN && CHANNEL_IN != null);
    }

    /** At most {@code limit} bytes (Long.MAX_VALUE: to end of file), or NOT_HANDLED before touching anything. */
    long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        if (!sockets) {
            return TransferHook.NOT_HANDLED;
        }
        OutputStream rawOut = SocketTransferHook.socketStream(out);
        if (rawOut == null) {
            // File to file, to a wrapper, to TLS: the JDK's code runs, and the type is named.
            return hook.unsupported(out.getClass().getName().startsWith("sun.security.ssl.") ? "ssl" : "sink-unsupported:",
                    hook.sinkType(out));
        }
        FileDescriptor fd = fileFd(in);
        int fileFd = fd == null ? -1 : JdkSockets.fdInt(fd);
        if (fileFd < 0) {
            return hook.fallback("file-source");
        }
        if (SocketTransferHook.wouldPin()) {
            return hook.fallback("virtual-thread");
        }
        Socket dst = JdkSockets.socketOfOutput(rawOut);
        if (dst.isClosed() || !dst.isConnected() || dst.isOutputShutdown()) {
            return hook.fallback("socket-state");
        }
        int dstFd = JdkSockets.fdOf(dst);
        if (dstFd < 0) {
            return hook.fallback("socket-impl");
        }
        long size = LinuxIo.regularFileSize(fileFd);
        if (size < 0) {
            return hook.fallback("file-not-regular"); // a pipe or device behind the stream
        }
        long start = position(in);
        int inFd = LinuxIo.dup(fileFd);
        int outFd = inFd < 0 ? -1 : LinuxIo.dup(dstFd);
        if (inFd < 0 || outFd < 0 || LinuxIo.setNonBlocking(outFd) < 0) {
            SocketTransferHook.closeAll(inFd, outFd);
            return hook.fallback(inFd < 0 || outFd < 0 ? "fd-dup" : "fd-flags");
        }
        try {
            // A relay may still owe bytes to this socket (hand-off modes): they go first.
            L7Dispatch.beforeSocketWrite(dst);
            out.flush(); // what a BufferedOutputStream holds precedes the file
            return send(inFd, dst::isClosed, outFd, limit, size, start);
        } finally {
            SocketTransferHook.closeAll(inFd, outFd);
        }
    }

    /** The file behind {@code in} as a source end (its fd, what is left from its position), or null, the reason counted. */
    dev.l7splice.agent.ends.SourceEnd source(InputStream in) throws IOException {
        FileDescriptor fd = fileFd(in);
        int fileFd = fd == null ? -1 : JdkSockets.fdInt(fd);
        if (fileFd < 0) {
            hook.fallback("file-source");
            return null;
        }
        long size = LinuxIo.regularFileSize(fileFd);
        if (size < 0) {
            hook.fallback("file-not-regular"); // a pipe or device behind the stream
            return null;
        }
        return new FileSource(in, fileFd, Math.max(0, size - position(in)));
    }

    private long position(InputStream in) throws IOException {
        if (in.getClass() == FileInputStream.class) {
            return ((FileInputStream) in).getChannel().position();
        }
        return ((java.nio.channels.SeekableByteChannel) channelOf.get(in)).position();
    }

    /**
     * sendfile until {@code limit} or end of file, from the file's own position {@code start}, the
     * file {@code size} bytes long when it was looked at. Each call asks for no more than the file
     * holds: asked for more, the kernel marks the last piece "more to come" (MSG_MORE), and TCP
     * holds the body's last partial segment back until the previous one is acknowledged, an extra
     * round trip on every small file (64 KiB files: 0.77x the JDK copy's MB/s, bench/files) that
     * the JDK's own FileChannel.transferTo, which asks for the exact count, does not pay. Once
     * what the file held has gone out it is looked at again, so a file still growing is sent on
     * as the JDK's read loop would (it reads until a read returns -1).
     */
    private long send(int inFd, java.util.function.BooleanSupplier closed, int outFd, long limit, long size, long start)
            throws IOException {
        Counters counters = hook.counters;
        long total = 0;
        long left = Math.min(limit, size - start);
        while (total < limit) {
            if (left <= 0) {
                left = Math.min(limit - total, LinuxIo.regularFileSize(inFd) - (start + total));
                if (left <= 0) {
                    break; // end of file
                }
            }
            long n = LinuxIo.sendfile(outFd, inFd, Math.min(left, SENDFILE_PIECE));
            if (n > 0) {
                if (total == 0) {
                    counters.offloaded.increment();
                }
                total += n;
                left -= n;
                counters.bytesFromFiles.add(n);
            } else if (n == 0) {
                break; // end of file (shorter than it was: truncated meanwhile)
            } else if (n == -EAGAIN) {
                SpliceLoop.awaitWritable(closed, outFd);
            } else {
                throw Errno.onSendfile((int) -n);
            }
        }
        return total;
    }

    private FileDescriptor fileFd(InputStream in) throws IOException {
        if (in.getClass() == FileInputStream.class) {
            return ((FileInputStream) in).getFD();
        }
        if (channelOf == null) {
            return null;
        }
        Object ch = channelOf.get(in);
        if (ch == null || !ch.getClass().getName().equals(FILE_CHANNEL)
                || !((java.nio.channels.Channel) ch).isOpen()) {
            return null;
        }
        return (FileDescriptor) channelFd.get(ch);
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
