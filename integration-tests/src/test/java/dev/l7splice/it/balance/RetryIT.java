package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A refused connect is retried on another server before any byte was sent; failures in a row take the server down. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryIT {

    @TempDir
    Path dir;

    @Test
    void everyClientIsServedWhileADeadServerIsRetriedPastThenTakenDown() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("r.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0",
                     "listen web", "    bind 127.0.0.1:0", "    balance roundrobin", "    retries 2",
                     "    server dead 127.0.0.1:" + dead + " fall 3",
                     "    server a " + a.address(), ""))) {
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                tags.append(relay.tag("BODY 0"));
            }
            assertEquals("a".repeat(12), tags.toString(), "each connect refused by dead was retried on a");
            relay.awaitLog("server dead(127.0.0.1:" + dead + ") is DOWN (3 connect failures in a row", 5000);
            String stats = relay.admin("GET", "/servers/web/dead");
            assertEquals(true, stats.contains("state=DOWN"), stats);
        }
    }
}
