package dev.l7splice.agent.transfer;

import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.agent.sinks.SocketSink;
import dev.l7splice.agent.sources.FileSource;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The file behind a stream as a source end, and file to socket with sendfile(2) on the calling
 * thread (through {@link SinkTransfer}, the engine every sink uses), for a source that is exactly a
 * {@code FileInputStream} or the JDK's {@code sun.nio.ch.ChannelInputStream} over a
 * {@code FileChannelImpl} (what {@code Files.newInputStream} and {@code Files.copy(Path, out)}
 * use). On JDK 17 and 25 all of {@code FileInputStream.transferTo(socketOut)},
 * {@code Files.newInputStream(p).transferTo(socketOut)} and {@code Files.copy(p, socketOut)} end
 * in {@code InputStream.transferTo} with one of these receivers, so no extra method is woven.
 *
 * <p>The kernel reads at the file's own offset and advances it (sendfile with a NULL offset, on a
 * dup sharing the open file description): a position set with {@code skip}, {@code getChannel()
 * .position(p)} or earlier reads is honoured and left where the JDK's loop would leave it. Both fds
 * are dup'ed, so a concurrent close can never redirect us to a recycled fd number. A file that
 * grows while it is sent is read on to its new end in user space, as the JDK's read-until--1 loop
 * would (the engine copies whatever the stream still gives once the kernel has sent what the file
 * held when it was looked at). Thread-safe.
 */
final class FileToSocket {

    private static final Class<?> CHANNEL_IN = classOrNull("sun.nio.ch.ChannelInputStream");
    private static final String FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";

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

    /**
     * At most {@code limit} bytes (Long.MAX_VALUE: to end of file), or NOT_HANDLED before touching
     * anything: the file's source end and the socket's sink end ({@link SocketSink}) through the one
     * engine ({@link SinkTransfer}, sendfile in {@link SinkKernel}).
     */
    long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        if (!sockets) {
            return TransferHook.NOT_HANDLED;
        }
        OutputStream rawOut = SocketSink.socketStream(out);
        if (rawOut == null) {
            return hook.sinkUnsupported(out); // file to file, to a wrapper, to TLS: the JDK's code runs
        }
        SourceEnd src = source(in);
        if (src == null) {
            return TransferHook.NOT_HANDLED;
        }
        if (SocketTransferHook.wouldPin()) {
            return hook.fallback("virtual-thread");
        }
        SinkEnd sink = SocketSink.of(out, rawOut, hook::refuse);
        if (sink == null) {
            return TransferHook.NOT_HANDLED;
        }
        return SinkTransfer.run(hook, in, src, sink, limit);
    }

    /** The file behind {@code in} as a source end (its fd, what is left from its position), or null, the reason counted. */
    SourceEnd source(InputStream in) throws IOException {
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
