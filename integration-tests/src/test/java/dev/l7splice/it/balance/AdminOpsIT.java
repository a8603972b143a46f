package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runtime operations on the admin endpoint (drain, maint, weight) and per-server metrics. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminOpsIT {

    @TempDir
    Path dir;

    @Test
    void drainKeepsEstablishedConnectionsAndSendsNewOnesElsewhere() throws Exception {
        String token = RelayProcess.writeAdminToken(dir.resolve("token"));
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("a.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0", "    admin-token-file " + dir.resolve("token"),
                     "listen web", "    bind 127.0.0.1:0", "    balance roundrobin",
                     "    server a " + a.address(), "    server b " + b.address(), ""))) {
            relay.adminToken(token);
            Socket held = relay.open("ECHO");
            assertEquals("a", RelayProcess.readLine(held.getInputStream()));
            relay.admin("POST", "/servers/web/a?state=drain");
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                tags.append(relay.tag("BODY 0"));
            }
            assertEquals("bbbbbb", tags.toString());
            // the drained server's connection still works both ways, byte-exact
            OutputStream out = held.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    BodyPattern.writeTo(out, 8 << 20);
                    held.shutdownOutput();
                } catch (Exception ignored) {
                    // the read side fails the test
                }
            });
            writer.start();
            InputStream in = held.getInputStream();
            assertEquals(RawHttp.sha256Of(BodyPattern.stream(8 << 20)), RawHttp.sha256Of(in));
            writer.join();
            held.close();

            relay.admin("POST", "/servers/web/a?state=ready&weight=3");
            StringBuilder weighted = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                weighted.append(relay.tag("BODY 0"));
            }
            assertEquals(6, weighted.chars().filter(c -> c == 'a').count(), weighted.toString());
            relay.admin("POST", "/servers/web/b?state=maint");
            assertEquals("aaaa", relay.tag("BODY 0") + relay.tag("BODY 0") + relay.tag("BODY 0") + relay.tag("BODY 0"));

            long expected = (8L << 20) + "ECHO\n".length() + 10 * "BODY 0\n".length();
            String metrics = relay.admin("GET", "/metrics");
            String toA = "l7relay_server_sent_bytes_total{pool=\"web\",server=\"a\",state=\"UP\"} ";
            for (int i = 0; i < 100 && RelayProcess.metric(metrics, toA) != expected; i++) {
                Thread.sleep(50); // the last connections' counts land when their transfers end
                metrics = relay.admin("GET", "/metrics");
            }
            assertEquals(expected, RelayProcess.metric(metrics, toA), "every byte sent to a is counted");
            assertTrue(metrics.contains("l7relay_server_connect_seconds_bucket{pool=\"web\",server=\"a\",state=\"UP\",le=\"+Inf\"} "),
                    metrics);
            assertTrue(metrics.contains("l7relay_server_up{pool=\"web\",server=\"b\",state=\"MAINT\"} 0"), metrics);
        }
    }

    @Test
    void badOperationsAreClearErrors() throws Exception {
        String token = RelayProcess.writeAdminToken(dir.resolve("token"));
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("b.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0", "    admin-token-file " + dir.resolve("token"),
                     "listen web", "    bind 127.0.0.1:0", "    server a " + a.address(), ""))) {
            relay.adminToken(token);
            for (String bad : new String[] {"/servers/web/nope?state=drain", "/servers/web/a?state=sleep",
                    "/servers/web/a?weight=999", "/servers/web/a?colour=red"}) {
                try {
                    relay.admin("POST", bad);
                    throw new AssertionError("accepted " + bad);
                } catch (java.io.IOException e) {
                    assertTrue(e.getMessage().contains("-> 4"), e.getMessage());
                }
            }
            assertEquals("a", relay.tag("BODY 0"), "still serving");
        }
    }
}
