package dev.l7splice.kernel;

import java.net.SocketException;

/**
 * Linux errno values the relay acts on, and the exception the JDK's own socket code would throw
 * for the errno of a failed splice.
 */
public final class Errno {

    public static final int EBADF = 9;
    public static final int EPIPE = 32;
    public static final int ENOTCONN = 107;
    public static final int ECONNRESET = 104;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int ECONNABORTED = 103;
    public static final int EPROTO = 71;
    public static final int EPERM = 1;
    public static final int EMFILE = 24;
    public static final int ENFILE = 23;
    public static final int ENOBUFS = 105;
    public static final int ENOMEM = 12;

    private Errno() {
    }

    public static SocketException onRead(int errno) {
        switch (errno) {
            case ECONNRESET: return new SocketException("Connection reset");
            case ETIMEDOUT: return new SocketException("Connection timed out");
            case ENOTCONN: return new SocketException("Socket is not connected");
            case EBADF: return new SocketException("Socket closed");
            default: return new SocketException("splice read failed: errno " + errno);
        }
    }

    public static SocketException onWrite(int errno) {
        switch (errno) {
            case EPIPE: return new SocketException("Broken pipe");
            case ECONNRESET: return new SocketException("Connection reset by peer");
            case ETIMEDOUT: return new SocketException("Connection timed out");
            case EBADF: return new SocketException("Socket closed");
            default: return new SocketException("splice write failed: errno " + errno);
        }
    }

    /** sendfile(2): socket errors as on a write; anything else is the file's (EIO...), a plain IOException. */
    public static java.io.IOException onSendfile(int errno) {
        switch (errno) {
            case EPIPE: case ECONNRESET: case ETIMEDOUT: case ENOTCONN: return onWrite(errno);
            default: return new java.io.IOException("sendfile failed: errno " + errno);
        }
    }
}
