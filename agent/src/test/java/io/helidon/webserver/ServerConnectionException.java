package io.helidon.webserver;

/** Test double named as Helidon 4's exception for a failed connection write (the agent raises it by name). */
public class ServerConnectionException extends RuntimeException {

    public ServerConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
