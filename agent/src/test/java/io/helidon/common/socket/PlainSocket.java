package io.helidon.common.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;

/** Test double with the name and fields of Helidon 4.5's plain connection socket (what the agent reads); not Helidon's code. */
public class PlainSocket {

    private final Socket delegate;
    private final IdleInputStream inputStream;

    public PlainSocket(Socket delegate) {
        this.delegate = delegate;
        try {
            this.inputStream = new IdleInputStream(delegate.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return delegate;
    }

    public IdleInputStream inputStream() {
        return inputStream;
    }
}
