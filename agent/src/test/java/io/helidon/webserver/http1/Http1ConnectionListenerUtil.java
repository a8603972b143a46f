package io.helidon.webserver.http1;

/** Test double: the name of Helidon 4.5's no-op send listener (none configured), and one that is not. */
public final class Http1ConnectionListenerUtil {

    private Http1ConnectionListenerUtil() {
    }

    public static Object noOp() {
        return new NoOpFrameListener();
    }

    private static final class NoOpFrameListener {
    }
}
