package dev.l7splice.kernel.nativeio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Thin JNI access to splice(2), pipes, poll(2) and dup(2). Every call returns a value >= 0 or
 * -errno. Class-loader contract: loaded by one loader per JVM, the one the library is bound to: the
 * agent's own loader (on Java 24+ its named module {@code dev.l7splice.nativeio}), or in the
 * sidecar the application loader; loading it twice in one JVM is never attempted. The library is built for
 * each supported architecture ({@code linux-<arch>/libl7native.so} next to this class) and binds
 * the natives below in its {@code JNI_OnLoad}, so a missing or mismatched one fails the load.
 */
public final class LinuxIo {

    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLRDHUP = 0x2000;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EPIPE = 32;
    public static final int ETIMEDOUT = 110;

    /** The library's file name in each per-architecture folder next to this class. */
    static final String LIBRARY = "libl7native.so";
    private static final String UNAVAILABLE = loadLibrary();

    private LinuxIo() {
    }

    /** Null when the kernel paths can be used, otherwise why not (one short phrase). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * The folder, next to this class, that holds the library built for a JVM's {@code os.arch}
     * ("linux-x86_64", "linux-aarch64"), or null when none is built for it. JDKs name the same
     * machine differently (amd64 or x86_64, aarch64 or arm64), so both spellings are accepted.
     */
    static String platformFolder(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> null;
        };
    }

    private static String loadLibrary() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux")) {
            return "not Linux (" + os + ")";
        }
        String folder = platformFolder(arch);
        if (folder == null) {
            return "no native library for " + arch + " (built for x86_64 and aarch64)";
        }
        // Relative to this class, so one name serves every way it is loaded: the agent loader's
        // l7inst/ tree, the relay jar's root, and on Java 24+ the dev.l7splice.nativeio module
        // (NativeModule's reader serves any entry under l7inst/, and the caller is the module itself).
        String resource = folder + "/" + LIBRARY;
        try (InputStream in = LinuxIo.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "native library " + resource + " missing from the agent jar";
            }
            Path tmp = newPrivateFile();
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
            } finally {
                // The mapping stays valid after the file is unlinked; nothing is left in /tmp.
                Files.deleteIfExists(tmp);
            }
            return null;
        } catch (IOException | LinkageError | SecurityException e) {
            return "native library failed to load: " + e;
        }
    }

    /**
     * A new file, mode 0700, in java.io.tmpdir, named after this process and the clock. Not
     * {@code Files.createTempFile}: its random name comes from a {@code SecureRandom}, which loads
     * the JDK's security providers, about a fifth of the agent's start-up. Creating with
     * CREATE_NEW (O_EXCL) never follows or reuses a name another user planted; a taken name is
     * retried with the next one.
     */
    private static Path newPrivateFile() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        String base = "l7native-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        java.nio.file.attribute.FileAttribute<?> owner = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        for (int i = 0; ; i++) {
            try {
                return Files.createFile(dir.resolve(base + "-" + i + ".so"), owner);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i >= 100) {
                    throw e;
                }
            }
        }
    }

    public static int dup(int fd) {
        return dup0(fd);
    }

    public static int close(int fd) {
        return close0(fd);
    }

    /** Returns (readFd << 32) | writeFd, or -errno. */
    public static long pipe() {
        return pipe0();
    }

    public static int setPipeSize(int fd, int size) {
        return setPipeSize0(fd, size);
    }

    public static int pipeSize(int fd) {
        return pipeSize0(fd);
    }

    /** Bytes waiting to be read from the fd (FIONREAD). */
    public static int readable(int fd) {
        return readable0(fd);
    }

    /**
     * Sets O_NONBLOCK. splice(2) from a socket blocks on a blocking socket whatever its flags say
     * (SPLICE_F_NONBLOCK only covers the pipe side), so the splice loop needs non-blocking fds.
     */
    public static int setNonBlocking(int fd) {
        return setNonBlocking0(fd);
    }

    public static long splice(int fdIn, int fdOut, long len, int flags) {
        return splice0(fdIn, fdOut, len, flags);
    }

    /** Returns revents, 0 on timeout or signal, or -errno. */
    public static int poll(int fd, int events, int timeoutMillis) {
        return poll0(fd, events, timeoutMillis);
    }

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;

    public static int epollCreate() {
        return epollCreate0();
    }

    public static int epollCtl(int ep, int op, int fd, int events) {
        return epollCtl0(ep, op, fd, events);
    }

    /** Fills {@code out} with (fd, events) pairs; returns how many, 0 on timeout, or -errno. */
    public static int epollWait(int ep, int[] out, int timeoutMillis) {
        return epollWait0(ep, out, timeoutMillis);
    }

    public static int eventfd() {
        return eventfd0();
    }

    public static int eventfdSignal(int fd) {
        return eventfdSignal0(fd);
    }

    public static int eventfdClear(int fd) {
        return eventfdClear0(fd);
    }

    /** shutdown(2): 0 read, 1 write, 2 both. */
    public static int shutdown(int fd, int how) {
        return shutdown0(fd, how);
    }

    private static native int epollCreate0();

    private static native int epollCtl0(int ep, int op, int fd, int events);

    private static native int epollWait0(int ep, int[] out, int timeoutMillis);

    private static native int eventfd0();

    private static native int eventfdSignal0(int fd);

    private static native int eventfdClear0(int fd);

    private static native int shutdown0(int fd, int how);

    /**
     * Resets a TCP connection at once (an RST to the peer), also while other fds or processes
     * still refer to it; it is then unconnected, and what is still queued is dropped.
     */
    public static int reset(int fd) {
        return reset0(fd);
    }

    private static native int reset0(int fd);

    /** write(2) of up to 16 KiB of {@code b[off..off+len)}; the count written or -errno. */
    public static int write(int fd, byte[] b, int off, int len) {
        return write0(fd, b, off, len);
    }

    public static int unixConnect(String path) {
        return unixConnect0(path);
    }

    /** A listening Unix socket whose file has the given mode (it never exists with a wider one). */
    public static int unixListen(String path, int mode) {
        return unixListen0(path, mode);
    }

    public static int accept(int fd) {
        return accept0(fd);
    }

    /** accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC (the listening socket itself may block). */
    public static int acceptNonBlocking(int fd) {
        return acceptNonBlocking0(fd);
    }

    private static native int acceptNonBlocking0(int fd);

    /** The uid of the process at the other end of a Unix socket (SO_PEERCRED), or -errno. */
    public static long peerUid(int fd) {
        return peerUid0(fd);
    }

    public static long uid() {
        return uid0();
    }

    /**
     * Sends {@code buf[0..len)} with the fds attached to its first byte (SCM_RIGHTS). Returns the
     * count sent (all on a blocking socket; maybe fewer on a non-blocking one) or -errno (-EAGAIN:
     * nothing went).
     */
    public static int sendWithFds(int sock, byte[] buf, int len, int[] fds) {
        return sendWithFds0(sock, buf, len, fds);
    }

    /** Receives bytes and any fds that come with them (unfilled slots of {@code fdsOut} are -1). */
    public static int recvWithFds(int sock, byte[] buf, int off, int len, int[] fdsOut) {
        return recvWithFds0(sock, buf, off, len, fdsOut);
    }

    /** "address:port" of a TCP socket's peer, or null. */
    public static String peerAddress(int fd) {
        return peerAddress0(fd);
    }

    private static native String peerAddress0(int fd);

    /** "address:port" ("[v6]:port") of a TCP socket's own end, or null. */
    public static String localAddress(int fd) {
        return localAddress0(fd);
    }

    private static native String localAddress0(int fd);

    /** A listening TCP socket on a numeric address (port 0: any free port), or -errno. */
    public static int tcpListen(String host, int port) {
        return tcpListen0(host, port);
    }

    public static int localPort(int fd) {
        return localPort0(fd);
    }

    /** A connected, non-blocking TCP socket to a numeric address, or -errno (ETIMEDOUT on timeout). */
    public static int tcpConnect(String host, int port, int timeoutMillis) {
        return tcpConnect0(host, port, timeoutMillis);
    }

    private static native int tcpListen0(String host, int port);

    private static native int localPort0(int fd);

    private static native int tcpConnect0(String host, int port, int timeoutMillis);

    /** A non-blocking connect, not waited for: the fd (wait for POLLOUT, then {@link #socketError}) or -errno. */
    public static int tcpConnectStart(String host, int port) {
        return tcpConnectStart0(host, port);
    }

    /** SO_ERROR: 0 once a connect succeeded, else its errno (positive). */
    public static int socketError(int fd) {
        return socketError0(fd);
    }

    private static native int tcpConnectStart0(String host, int port);

    private static native int socketError0(int fd);

    /** read(2) of up to 64 KiB into {@code b[off..)}: the count, 0 at end of stream, or -errno. */
    public static int read(int fd, byte[] b, int off, int len) {
        return read0(fd, b, off, len);
    }

    private static native int read0(int fd, byte[] b, int off, int len);

    private static native int write0(int fd, byte[] b, int off, int len);

    private static native int unixConnect0(String path);

    private static native int unixListen0(String path, int mode);

    private static native int accept0(int fd);

    private static native long peerUid0(int fd);

    private static native long uid0();

    private static native int sendWithFds0(int sock, byte[] buf, int len, int[] fds);

    private static native int recvWithFds0(int sock, byte[] buf, int off, int len, int[] fdsOut);

    private static native int dup0(int fd);

    private static native int close0(int fd);

    private static native long pipe0();

    private static native int setPipeSize0(int fd, int size);

    private static native int pipeSize0(int fd);

    private static native int readable0(int fd);

    private static native int setNonBlocking0(int fd);

    private static native long splice0(int fdIn, int fdOut, long len, int flags);

    private static native int poll0(int fd, int events, int timeoutMillis);

    /** sendfile(2) from the file's current offset (which it advances) to a socket: bytes sent, 0 at end of file, or -errno. */
    public static long sendfile(int outFd, int inFd, long len) {
        return sendfile0(outFd, inFd, len);
    }

    /** The size of a regular file, or -errno (-EINVAL when the fd is not a regular file). */
    public static long regularFileSize(int fd) {
        return regularFileSize0(fd);
    }

    private static native long sendfile0(int outFd, int inFd, long len);

    private static native long regularFileSize0(int fd);
}
