package dev.l7splice.it.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The balancer out of file descriptors (a low {@code ulimit -n}): clients past the limit wait in
 * the backlog or are closed cleanly, the server is never blamed for it (no DOWN), the accept loop
 * does not spin, and once connections end every new client is served byte-exact with no fd left
 * behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FdLimitIT {

    @Test
    void outOfFdsDelaysOrClosesClientsAndBlamesNoServer() throws Exception {
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.startWithFdLimit(160, "--listen", "127.0.0.1:0", "--server",
                     a.address(), "--admin", "127.0.0.1:0")) {
            assertEquals("a", relay.tag("BODY 100000"));
            long fdsBefore = ProcStats.openFds(relay.pid());
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 120; i++) { // 2 fds each in the relay: well past 160
                Socket s = relay.open("HOLD");
                s.setSoTimeout(100);
                held.add(s);
            }
            relay.awaitLog("errno 24", 20_000); // EMFILE met, on accept or on the connect
            int served = 0;
            for (Socket s : held) {
                try {
                    if (RelayProcess.readLine(s.getInputStream()).equals("a")) {
                        served++;
                    }
                } catch (java.net.SocketTimeoutException waiting) {
                    // still in the backlog, or closed later
                }
            }
            assertTrue(served > 0 && served < held.size(), served + " of " + held.size() + " served while short of fds");
            assertTrue(ProcStats.appCpuOver(relay.pid(), 1000) < 0.3, "the relay does not spin while short of fds");
            for (Socket s : held) {
                s.close();
            }
            for (int i = 0; i < 30; i++) {
                long n = 200_000 + i;
                try (Socket s = relay.open("BODY " + n)) {
                    InputStream in = s.getInputStream();
                    assertEquals("a", RelayProcess.readLine(in), "client " + i + " after the shortage");
                    assertEquals(BodyPattern.sha256Hex(n), RawHttp.sha256Of(in));
                }
            }
            assertFalse(relay.logText().contains("is DOWN"), relay.logText());
            String log = relay.logText();
            assertTrue(log.split("retrying every 100 ms", -1).length <= 3 && log.length() < 20_000,
                    "a line per shortage, not per retry:\n" + log);
            assertTrue(relay.admin("GET", "/metrics").contains("state=\"UP\""));
            assertTrue(ProcStats.settle(() -> ProcStats.openFdsUnchecked(relay.pid()), fdsBefore + 2, 10_000)
                    <= fdsBefore + 2, "no fd left behind");
        }
    }
}
