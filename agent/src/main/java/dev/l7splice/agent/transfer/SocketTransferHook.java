package dev.l7splice.agent.transfer;

import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sinks.Sinks;
import dev.l7splice.agent.sinks.SocketSink;
import dev.l7splice.agent.sources.Fallbacks;
import dev.l7splice.agent.sources.SocketSource;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.relay.InProcessRelay;
import dev.l7splice.agent.relay.Offload;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.AgentStats;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.agent.runtime.EndSwitches;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.kernel.nativeio.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides, for one {@code InputStream.transferTo} call, whether the body can move in the kernel,
 * and if so moves it on the calling thread ({@code offload=inline}). Supported ends: the JDK's own
 * socket streams, optionally wrapped in exactly a {@link java.io.BufferedInputStream} (source) or a
 * {@code BufferedOutputStream} (destination). Anything else returns {@link #NOT_HANDLED} before a
 * byte is touched, and the JDK's code runs. Thread-safe; called on application threads.
 */
public final class SocketTransferHook implements TransferHook, Fallbacks {

    final long minBytes;
    /** sink.min-bytes: see {@link AgentConfig#sinkMinBytes}. */
    final long sinkMinBytes;
    /** offload=inprocess|sidecar: unbounded plain socket bodies go to it ({@link RelayHandOff}); null: inline. */
    final Offload relay;
    final Counters counters;
    final PipePool pipes;
    private final AgentStats stats;
    private final AtomicBoolean used = new AtomicBoolean();
    /** File sources: to sockets when instrumentation.file-transfer is on, always into the sinks. */
    private final FileToSocket files;
    /** Server response bodies (instrumentation.httpserver, .tomcat, .jetty, .helidon); null when all are off. */
    private final SinkDispatch sinks;
    /** Virtual threads that may not wait in the kernel: their socket bodies go here; null: they keep the JDK's copy. */
    final ParkedRelay parked;

    SocketTransferHook(AgentConfig config, EndSwitches ends, Counters counters, PipePool pipes, AgentStats stats,
                       Offload relay) {
        this(config, ends, counters, pipes, stats, relay, null);
    }

    /** {@code ends}: the sinks and sources switched on (each end's instrumentation enabled itself there). */
    public SocketTransferHook(AgentConfig config, EndSwitches ends, Counters counters, PipePool pipes, AgentStats stats,
                       Offload relay, InProcessRelay forVirtualThreads) {
        this.minBytes = config.spliceMinBytes;
        this.sinkMinBytes = config.sinkMinBytes;
        this.relay = relay;
        this.parked = forVirtualThreads == null ? null : new ParkedRelay(forVirtualThreads);
        this.counters = counters;
        this.pipes = pipes;
        this.stats = stats;
        boolean httpServer = ends.on("httpserver");
        boolean tomcat = ends.on("tomcat");
        boolean jetty = ends.on("jetty");
        boolean helidon = ends.on("helidon");
        this.files = FileToSocket.create(this, ends.on("file-transfer"));
        this.sinks = httpServer || tomcat || jetty || helidon ? new SinkDispatch(this, new Sinks(httpServer, tomcat, jetty, helidon)
                .lookingThroughSpringWrappers(ends.on("spring-wrappers")), files,
                ends.on("httpurlconnection"), ends.on("httpclient")) : null;
    }

    /** To end of stream; in the hand-off modes a plain socket's body may go to the relay. */
    @Override
    public long transferTo(InputStream in, OutputStream out) throws IOException {
        return transfer(in, out, Long.MAX_VALUE, true);
    }

    /**
     * Bounded: exactly {@code limit} bytes (fewer only at end of stream), always on the calling
     * thread, also in the hand-off modes (a relay has no notion of "stop after n bytes, give the
     * connection back"). A BufferedInputStream gives up at most {@code limit} buffered bytes and
     * keeps the rest for the application's next read.
     */
    @Override
    public long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        return transfer(in, out, limit, false);
    }

    /** Resolve both ends (server sink, file source, or socket to socket), then the one engine. */
    private long transfer(InputStream in, OutputStream out, long limit, boolean mayRelay) throws IOException {
        OutputStream served = sinks == null ? null : sinks.recognised(out);
        if (served != null) {
            noteUse();
            return sinks.transfer(in, served, limit);
        }
        if (FileToSocket.isFileSource(in.getClass())) {
            noteUse();
            return files.transfer(in, out, limit);
        }
        return sockets(in, out, limit, mayRelay);
    }

    /**
     * Socket to socket: both ends JDK socket streams (directly or through exactly a buffer), or
     * NOT_HANDLED before a byte is touched, the reason counted where it is ours to count.
     */
    private long sockets(InputStream in, OutputStream out, long limit, boolean mayRelay) throws IOException {
        if (!SocketSource.isCandidate(in)) {
            // The hot "not ours" path: every transferTo in the JVM passes here.
            Class<?> type = in.getClass();
            if (type.getName().startsWith("sun.security.ssl.")) {
                fallback("ssl");
            } else if (SocketSink.socketStream(out) != null) {
                unsupported("source-unsupported:", type);
            } else if (sinks != null && sinks.takesSource(in)) {
                unsupported("sink-unsupported:", sinkType(out)); // an HTTP client's body into a stream no sink serves
            }
            return NOT_HANDLED;
        }
        InputStream rawIn = SocketSource.socketStream(in);
        OutputStream rawOut = SocketSink.socketStream(out);
        if (rawIn == null) {
            return rawOut == null ? NOT_HANDLED : unsupported("source-unsupported:", SocketSource.typeToName(in));
        }
        noteUse();
        if (rawOut == null) {
            return sinkUnsupported(out);
        }
        if (parked == null && wouldPin()) {
            return fallback("virtual-thread"); // else the relay moves it while the thread parks (SinkKernel)
        }
        SourceEnd src = SocketSource.of(this, in, rawIn);
        SinkEnd sink = src == null ? null : SocketSink.of(out, rawOut, this::refuse);
        if (sink == null) {
            return NOT_HANDLED;
        }
        return mayRelay ? SinkTransfer.toEnd(this, in, src, sink) : SinkTransfer.run(this, in, src, sink, limit);
    }

    /** A source of ours into a stream no end serves (a file, a wrapper, TLS): counted, the type named; NOT_HANDLED. */
    long sinkUnsupported(OutputStream out) {
        return unsupported(out.getClass().getName().startsWith("sun.security.ssl.") ? "ssl" : "sink-unsupported:", sinkType(out));
    }

    /** The type to name in sink-unsupported: below the pass-through wrappers the sinks look through. */
    Class<?> sinkType(OutputStream out) {
        return sinks == null ? out.getClass() : sinks.typeToName(out);
    }

    /** The MBean is registered on the first transfer that concerns the agent, not at startup. */
    private void noteUse() {
        if (!used.get() && used.compareAndSet(false, true)) { // a plain read once set: no locked write per transfer
            stats.registerLater();
        }
    }

    /**
     * Private, non-blocking dups of both fds, or null (nothing left open, the reason counted) when
     * the kernel refused. splice(2) from a blocking socket blocks whatever its flags say. The JDK's
     * NioSocketImpl copes with a non-blocking fd on every path (it sets one itself, for good, as
     * soon as a timeout is used), so the flag is left set afterwards.
     */
    int[] privateFds(int srcFd, int dstFd) {
        return privateFds(srcFd, dstFd, true);
    }

    /** Same; {@code srcNonBlocking} false for a regular file (the flag means nothing there). */
    int[] privateFds(int srcFd, int dstFd, boolean srcNonBlocking) {
        int inFd = LinuxIo.dup(srcFd);
        int outFd = inFd < 0 ? -1 : LinuxIo.dup(dstFd);
        if (inFd < 0 || outFd < 0) {
            closeAll(inFd, outFd);
            fallback("fd-dup");
            return null;
        }
        if (LinuxIo.setNonBlocking(outFd) < 0 || srcNonBlocking && LinuxIo.setNonBlocking(inFd) < 0) {
            closeAll(inFd, outFd);
            fallback("fd-flags");
            return null;
        }
        return new int[] {inFd, outFd};
    }

    static void closeAll(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                LinuxIo.close(fd);
            }
        }
    }

    /** Bound on distinct type-named reasons, so a JVM full of generated classes cannot grow the map without end. */
    private static final int NAMED_REASONS_MAX = 128;

    /**
     * A copy reached the dispatch with an end of a type the agent does not take: counted under
     * {@code prefix + type} (for example {@code sink-unsupported:java.io.DataOutputStream}), so a
     * user sees what to ask for. {@code prefix} without a trailing ':' is used as it is ("ssl").
     */
    @Override
    public long unsupported(String prefix, Class<?> type) {
        if (!prefix.endsWith(":")) {
            return fallback(prefix);
        }
        String reason = prefix + type.getName();
        if (counters.fallbacks(reason) == 0 && counters.reasons() >= NAMED_REASONS_MAX) {
            reason = prefix + "other";
        }
        return fallback(reason);
    }

    /** An end's resolver refused: counted, and named once at debug level with its detail. */
    @Override
    public void refuse(String reason, String detail) {
        counters.fallback(reason);
        AgentLog.debugOnce(reason, "JDK code runs for a transfer: " + reason + (detail == null ? "" : " (" + detail + ")"));
    }

    @Override
    public long fallback(String reason) {
        counters.fallback(reason);
        AgentLog.debugOnce(reason, "JDK code runs for a transfer: " + reason);
        return NOT_HANDLED;
    }

    /**
     * True on a virtual thread that could not wait without pinning its carrier (its JDK has no poller
     * the agent can park it on, {@code virtual-threads.poller=off}, or the poller failed): its socket
     * bodies go to {@link ParkedRelay}; sinks and files keep the JDK's own copy, counted as virtual-thread.
     */
    static boolean wouldPin() {
        return Readiness.onVirtualThread() && !Readiness.parksVirtualThreads();
    }
}
