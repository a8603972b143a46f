package io.helidon.common.socket;

import java.nio.channels.SocketChannel;

/** Test double with the name and field of Helidon 4.5's default connection socket (what the agent reads); not Helidon's code. */
public class NioSocket {

    private final SocketChannel delegate;

    public NioSocket(SocketChannel delegate) {
        this.delegate = delegate;
    }

    public SocketChannel channel() {
        return delegate;
    }
}
