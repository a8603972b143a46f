package dev.l7splice.it.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP health checks with rise/fall, one log line per transition, and slowstart on the way back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthCheckIT {

    @TempDir
    Path dir;

    @Test
    void aFailingHttpCheckTakesAServerOutAndSlowstartBringsItBackGradually() throws Exception {
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("c.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0",
                     "listen web", "    bind 127.0.0.1:0", "    balance roundrobin",
                     "    option httpchk GET /health", "    http-check expect status 200",
                     "    server a " + a.address() + " weight 100 check inter 100ms rise 2 fall 2 slowstart 3s",
                     "    server b " + b.address() + " weight 100 check inter 100ms rise 2 fall 2", ""))) {
            a.healthStatus = 503; // answers TCP, fails HTTP
            relay.awaitLog("server a(" + a.address() + ") is DOWN", 10_000);
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                tags.append(relay.tag("BODY 0"));
            }
            assertEquals("bbbbbbbbbb", tags.toString());
            assertTrue(relay.admin("GET", "/stats").contains("L7STS 503"), "the last check result is shown");
            Thread.sleep(500); // more failed checks: still one transition, one line
            assertEquals(1, count(relay.logText(), "is DOWN"));

            a.healthStatus = 200;
            relay.awaitLog("server a(" + a.address() + ") is UP", 10_000);
            int early = weight(relay.admin("GET", "/servers/web/a"));
            assertTrue(early < 50, "slowstart begins low, got " + early);
            long deadline = System.currentTimeMillis() + 10_000;
            int w = early;
            while (w != 100 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                w = weight(relay.admin("GET", "/servers/web/a"));
            }
            assertEquals(100, w, "ramped to the configured weight");
            assertEquals(1, count(relay.logText(), "is UP"));
            StringBuilder after = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                after.append(relay.tag("BODY 0"));
            }
            assertEquals(5, after.chars().filter(c -> c == 'a').count(), after.toString());
        }
    }

    private static int weight(String describe) {
        Matcher m = Pattern.compile("weight=(\\d+)/").matcher(describe);
        assertTrue(m.find(), describe);
        return Integer.parseInt(m.group(1));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
