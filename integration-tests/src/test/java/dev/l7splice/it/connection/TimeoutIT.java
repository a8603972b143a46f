package dev.l7splice.it.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** timeout tunnel closes an idle connection and spares a busy one; timeout connect bounds a dead server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutIT {

    @TempDir
    Path dir;

    @Test
    void tunnelTimeoutClosesIdleConnectionsOnly() throws Exception {
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("t.cfg"), String.join("\n",
                     "listen web", "    bind 127.0.0.1:0", "    timeout tunnel 1s", "    timeout client 1h",
                     "    server a " + a.address(), ""))) {
            long fdsBefore = ProcStats.openFds(relay.pid());
            Socket idle = relay.open("HOLD");
            Socket busy = relay.open("ECHO");
            assertEquals("a", RelayProcess.readLine(idle.getInputStream()));
            assertEquals("a", RelayProcess.readLine(busy.getInputStream()));
            OutputStream out = busy.getOutputStream();
            InputStream in = busy.getInputStream();
            long t0 = System.nanoTime();
            for (int i = 0; i < 12; i++) { // 3 s of traffic every 250 ms
                out.write('x');
                out.flush();
                assertEquals('x', in.read(), "the busy connection still echoes after " + i * 250 + " ms");
                Thread.sleep(250);
            }
            idle.setSoTimeout(10_000);
            assertEquals(-1, idle.getInputStream().read(), "the idle connection was closed");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8));
            busy.close();
            idle.close();
            assertTrue(ProcStats.settle(() -> ProcStats.openFdsUnchecked(relay.pid()), fdsBefore + 2, 10_000)
                    <= fdsBefore + 2, "no fd leak");
        }
    }

    @Test
    void connectTimeoutBoundsAServerThatNeverAnswers() throws Exception {
        // A listener that never accepts, its backlog filled: the kernel drops further SYNs, so a
        // connect to it hangs until the relay's connect timeout.
        try (ServerSocket never = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket f = new Socket();
                try {
                    f.connect(never.getLocalSocketAddress(), 300);
                    fillers.add(f);
                } catch (IOException full) {
                    f.close();
                    break;
                }
            }
            try (RelayProcess relay = RelayProcess.withConfig(dir.resolve("c.cfg"), String.join("\n",
                    "listen web", "    bind 127.0.0.1:0", "    timeout connect 500ms", "    retries 1",
                    "    server x 127.0.0.1:" + never.getLocalPort(), ""))) {
                long t0 = System.nanoTime();
                assertEquals("", relay.tag("BODY 0"));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms >= 900 && ms < 5000, "two attempts of 500 ms each, then a close; took " + ms + " ms");
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }
}
