package io.helidon.common.socket;

import java.net.Socket;

/** Test double with the name and field of Helidon 4.5's plain connection socket (what the agent reads); not Helidon's code. */
public class PlainSocket {

    private final Socket delegate;

    public PlainSocket(Socket delegate) {
        this.delegate = delegate;
    }

    public Socket socket() {
        return delegate;
    }
}
