package io.helidon.common.socket;

import java.io.IOException;
import java.io.InputStream;

/** Test double with the fields of Helidon's idle-checking socket stream: no byte held, no monitor running. */
public class IdleInputStream extends InputStream {

    private final InputStream upstream;
    private volatile int next = -1;
    private Object idlingThread;

    public IdleInputStream(InputStream upstream) {
        this.upstream = upstream;
    }

    @Override
    public int read() throws IOException {
        return upstream.read();
    }
}
