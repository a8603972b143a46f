package io.helidon.http.http1;

/** Test double of Helidon's HTTP/1 listener interface: the agent asks only {@code enabled()}. */
public interface Http1ConnectionListener {

    default boolean enabled() {
        return true;
    }

    /** A listener that is off (as Helidon's protocol log below DEBUG). */
    static Http1ConnectionListener off() {
        return new Http1ConnectionListener() {
            @Override
            public boolean enabled() {
                return false;
            }
        };
    }
}
