package dev.l7splice.agent.sources;


import dev.l7splice.agent.ends.SourceEnd;
import java.io.InputStream;
import java.net.Socket;

/**
 * A regular file behind a {@code FileInputStream} or the JDK's channel stream over a {@code
 * FileChannelImpl} ({@code transfer.FileToSocket.source}). sendfile with a NULL offset reads at the file's
 * own position and advances it, so nothing needs updating afterwards; neither stream reads ahead,
 * so nothing is held. The calling thread only.
 */
public final class FileSource implements SourceEnd {

    private final InputStream in;
    private final int fd;
    private final long left;

    public FileSource(InputStream in, int fd, long left) {
        this.in = in;
        this.fd = fd;
        this.left = left;
    }

    @Override
    public boolean isFile() {
        return true;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public Socket socket() {
        return null;
    }

    /** Bytes from the position to the end of the file as it is now. */
    @Override
    public long bound() {
        return left;
    }

    @Override
    public byte[] takeHeld(long max) {
        return new byte[0];
    }

    @Override
    public InputStream stream() {
        return in;
    }
}
