package dev.l7splice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --loop native|netty}: with the quick flags and next to {@code --config}. */
@Timeout(30)
class RelayOptionsLoopTest {

    private static final String[] BALANCER = {"--listen", "127.0.0.1:0", "--server", "127.0.0.1:1"};

    private static String[] with(String[] a, String... more) {
        String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }

    @Test
    void nativeIsTheDefaultAndNettyIsChosenByTheFlag() {
        assertFalse(RelayOptions.parse(BALANCER).nettyLoop);
        assertFalse(RelayOptions.parse(with(BALANCER, "--loop", "native")).nettyLoop);
        assertTrue(RelayOptions.parse(with(BALANCER, "--loop", "netty")).nettyLoop);
        assertTrue(RelayOptions.parse(new String[] {"--loop", "netty", "--config", "/x.cfg"}).nettyLoop);
        assertTrue(RelayOptions.parse(new String[] {"--config", "/x.cfg", "--check-config", "--loop", "netty"}).nettyLoop);
    }

    @Test
    void anythingElseIsRefused() {
        assertEquals("--loop takes native or netty, not epoll",
                assertThrows(IllegalArgumentException.class,
                        () -> RelayOptions.parse(with(BALANCER, "--loop", "epoll"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RelayOptions.parse(new String[] {"--config", "/x.cfg", "--loop", "netty", "--threads", "2"}))
                .getMessage().contains("--config takes no other options"));
    }
}
