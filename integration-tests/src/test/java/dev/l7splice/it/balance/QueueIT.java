package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** maxconn per server, the bounded queue in front of them, and the queue timeout, through real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueIT {

    @TempDir
    Path dir;

    @Test
    void fullServersQueueConnectionsInOrderUpToMaxqueueThenTimeOut() throws Exception {
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("q.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0",
                     "listen web", "    bind 127.0.0.1:0", "    balance leastconn", "    maxqueue 2",
                     "    timeout queue 1500ms",
                     "    server a " + a.address() + " maxconn 1",
                     "    server b " + b.address() + " maxconn 1", ""))) {
            Socket first = relay.open("HOLD");
            Socket second = relay.open("HOLD");
            String t1 = RelayProcess.readLine(first.getInputStream());
            String t2 = RelayProcess.readLine(second.getInputStream());
            assertNotEquals(t1, t2, "one connection per server (maxconn 1)");

            Socket third = relay.open("HOLD");
            Socket fourth = relay.open("HOLD");
            Thread.sleep(300);
            assertEquals(0, third.getInputStream().available(), "queued, not served");
            assertEquals(0, fourth.getInputStream().available(), "queued, not served");
            long t0 = System.nanoTime();
            assertEquals("", relay.tag("HOLD"), "the queue holds 2: the fifth is closed at once");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));

            first.close(); // frees t1's slot: the oldest waiter (third) gets it
            third.setSoTimeout(5000);
            assertEquals(t1, RelayProcess.readLine(third.getInputStream()));
            fourth.setSoTimeout(10_000);
            assertEquals("", RelayProcess.readLine(fourth.getInputStream()), "queue timeout: closed without a byte");

            String metrics = relay.admin("GET", "/metrics");
            assertTrue(metrics.contains("l7relay_pool_rejected_total{pool=\"web\",reason=\"queue_full\"} 1"), metrics);
            assertTrue(metrics.contains("l7relay_pool_rejected_total{pool=\"web\",reason=\"queue_timeout\"} 1"), metrics);
            assertEquals(3, a.served.get() + b.served.get(), "three connections served in all");
            second.close();
            third.close();
            fourth.close();
        }
    }
}
