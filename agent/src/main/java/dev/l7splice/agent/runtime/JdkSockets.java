package dev.l7splice.agent.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * Reads the JDK internals the agent relies on: the Socket behind a socket stream, the fd behind a
 * Socket, the buffer state of a BufferedInputStream. Field names checked on JDK 17, 21 and 25.
 * Needs java.net and java.io opened to the agent's module (the installer does that through
 * Instrumentation.redefineModule); {@link #init()} fails if any of it is missing, and then the
 * agent stays off.
 */
public final class JdkSockets {

    static final String NIO_SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";

    public static Class<?> socketIn;
    public static Class<?> socketOut;
    private static Class<?> socksImpl;
    private static VarHandle inParent;
    private static VarHandle outParent;
    private static VarHandle socketImpl;
    private static VarHandle delegate;
    private static VarHandle implFd;
    private static VarHandle fdInt;
    private static VarHandle filterIn;
    private static VarHandle filterOut;
    public static VarHandle bisBuf;
    public static VarHandle bisPos;
    public static VarHandle bisCount;
    public static VarHandle bisMarkpos;
    public static VarHandle bisMarklimit;

    private JdkSockets() {
    }

    public static void init() throws ReflectiveOperationException {
        socketIn = Class.forName("java.net.Socket$SocketInputStream");
        socketOut = Class.forName("java.net.Socket$SocketOutputStream");
        socksImpl = Class.forName("java.net.SocksSocketImpl");
        Class<?> delegating = Class.forName("java.net.DelegatingSocketImpl");
        inParent = field(socketIn, "parent", Socket.class);
        outParent = field(socketOut, "parent", Socket.class);
        socketImpl = field(Socket.class, "impl", SocketImpl.class);
        delegate = field(delegating, "delegate", SocketImpl.class);
        implFd = field(SocketImpl.class, "fd", FileDescriptor.class);
        fdInt = field(FileDescriptor.class, "fd", int.class);
        filterIn = field(FilterInputStream.class, "in", InputStream.class);
        filterOut = field(FilterOutputStream.class, "out", OutputStream.class);
        bisBuf = field(BufferedInputStream.class, "buf", byte[].class);
        bisPos = field(BufferedInputStream.class, "pos", int.class);
        bisCount = field(BufferedInputStream.class, "count", int.class);
        bisMarkpos = field(BufferedInputStream.class, "markpos", int.class);
        bisMarklimit = field(BufferedInputStream.class, "marklimit", int.class);
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
    }

    /** The stream a BufferedInputStream reads from. */
    public static InputStream innerOf(BufferedInputStream in) {
        return (InputStream) filterIn.getVolatile(in);
    }

    public static OutputStream innerOf(BufferedOutputStream out) {
        return (OutputStream) filterOut.get(out);
    }

    public static Socket socketOfInput(InputStream socketStream) {
        return (Socket) inParent.get(socketStream);
    }

    public static Socket socketOfOutput(OutputStream socketStream) {
        return (Socket) outParent.get(socketStream);
    }

    /**
     * The fd of a socket whose implementation is the JDK's own NIO one, or -1 when it is something
     * else (a SocketImplFactory, an HTTP proxy socket) or not open.
     */
    public static int fdOf(Socket s) {
        Object impl = socketImpl.getVolatile(s);
        if (impl != null && impl.getClass() == socksImpl) {
            impl = delegate.get(impl);
        }
        if (impl == null || !impl.getClass().getName().equals(NIO_SOCKET_IMPL)) {
            return -1;
        }
        FileDescriptor fd = (FileDescriptor) implFd.get(impl);
        return fd == null ? -1 : (int) fdInt.get(fd);
    }

    /**
     * What the JDK's socket streams do when a virtual thread blocked in one is interrupted: the
     * socket is closed and "Closed by interrupt" raised (the caller leaves the interrupt status set).
     */
    public static SocketException closedByInterrupt(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is all that is asked; the exception says why
        }
        return new SocketException("Closed by interrupt");
    }

    /** The number inside a FileDescriptor (-1 once closed). */
    public static int fdInt(FileDescriptor fd) {
        return (int) fdInt.get(fd);
    }
}
