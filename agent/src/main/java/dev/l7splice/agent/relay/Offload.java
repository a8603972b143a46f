package dev.l7splice.agent.relay;

import java.io.IOException;
import java.net.Socket;

/** Something that completes a body after the application let go: the in-process or the sidecar relay. */
public interface Offload {

    /** The relay did not take the transfer and touched nothing: the caller completes it itself. */
    final class Unavailable extends IOException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Takes over a transfer between two private, non-blocking fds (dups of the sockets'), with the
     * bytes the application already held ({@code prefix}, written first). On success the relay owns
     * the fds and the application's later calls on either socket already wait for the body. On
     * {@link Unavailable} nothing was relayed, the caller still owns the fds and completes the
     * transfer itself; any other IOException means the transfer failed (both sockets are being
     * closed, as after a failed copy) and the caller must not touch the body again. Returns the
     * transfer's id.
     */
    long handOff(Socket src, int srcFd, Socket dst, int dstFd, byte[] prefix) throws IOException;

    /** Transfers in flight. */
    int active();

    /** "in-process relay" or "sidecar at PATH", for log lines. */
    String name();
}
