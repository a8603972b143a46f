package io.helidon.common.socket;

/** Test double named as Helidon 4.5's default (unqueued) connection writer. */
public class SocketWriterDirect extends SocketWriter {

    public SocketWriterDirect(Object socket) {
        super(socket);
    }
}
