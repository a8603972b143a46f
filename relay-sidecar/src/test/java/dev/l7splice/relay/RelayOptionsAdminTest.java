package dev.l7splice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.relay.config.RelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin credential flags follow the same rules as the file's keywords. */
@Timeout(30)
class RelayOptionsAdminTest {

    private static RelayConfig.Global global(String... args) {
        return RelayOptions.parse(args).toConfig().global();
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> RelayOptions.parse(args)).getMessage();
    }

    @Test
    void theFlagsReachTheModel() {
        assertEquals("/t", global("--handoff-socket", "/s", "--admin", "127.0.0.1:0", "--admin-token-file", "/t")
                .adminTokenFile());
        assertTrue(global("--handoff-socket", "/s", "--admin", "localhost:0", "--admin-insecure-ops").adminInsecureOps());
        assertTrue(global("--handoff-socket", "/s", "--admin", "[::1]:0", "--admin-insecure-ops").adminInsecureOps());
        assertEquals("/a.sock", global("--handoff-socket", "/s", "--admin-socket", "/a.sock").adminSocket());
    }

    @Test
    void badCombinationsAreRefused() {
        assertTrue(refused("--handoff-socket", "/s", "--admin-token-file", "/t").contains("needs --admin"));
        assertTrue(refused("--handoff-socket", "/s", "--admin", "0.0.0.0:1", "--admin-insecure-ops")
                .contains("loopback"));
        assertTrue(refused("--handoff-socket", "/s", "--admin", "127.0.0.1:1", "--admin-insecure-ops",
                "--admin-token-file", "/t").contains("choose one"));
    }
}
