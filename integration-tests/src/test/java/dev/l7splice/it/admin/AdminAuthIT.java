package dev.l7splice.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint's server operations need a credential: a request without it is refused and
 * changes nothing (the balancer still sends to the server); with it, the operation runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminAuthIT {

    private static final String DRAIN_A = "/servers/web/a?state=drain";

    @TempDir
    Path dir;

    private RelayProcess relay(TagServer a, TagServer b, String... globalLines) throws Exception {
        StringBuilder cfg = new StringBuilder("global\n    admin 127.0.0.1:0\n");
        for (String l : globalLines) {
            cfg.append("    ").append(l).append('\n');
        }
        cfg.append("listen web\n    bind 127.0.0.1:0\n    balance roundrobin\n")
                .append("    server a ").append(a.address()).append("\n    server b ").append(b.address()).append('\n');
        return RelayProcess.withConfig(dir.resolve("r.cfg"), cfg.toString());
    }

    /** Tags of six connections through the relay. */
    private static String six(RelayProcess relay) throws Exception {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tags.append(relay.tag("BODY 0"));
        }
        return tags.toString();
    }

    private static void assertUntouched(RelayProcess relay) throws Exception {
        assertTrue(relay.admin("GET", "/servers/web/a").contains("state=UP"), relay.admin("GET", "/servers/web/a"));
        assertEquals(3, six(relay).chars().filter(c -> c == 'a').count(), "a still gets its share");
    }

    @Test
    void withATokenFileOnlyTheRightBearerTokenDrains() throws Exception {
        String token = RelayProcess.writeAdminToken(dir.resolve("token"));
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = relay(a, b, "admin-token-file " + dir.resolve("token"))) {
            HttpResponse<String> none = relay.adminRequest("POST", DRAIN_A);
            assertEquals(401, none.statusCode(), none.body());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            HttpResponse<String> wrong = relay.adminRequest("POST", DRAIN_A, "Authorization", "Bearer " + token + "0");
            assertEquals(401, wrong.statusCode(), wrong.body());
            HttpResponse<String> otherSite = relay.adminRequest("POST", DRAIN_A, "Authorization", "Bearer " + token,
                    "Origin", "http://evil.example");
            assertEquals(403, otherSite.statusCode(), otherSite.body());
            assertUntouched(relay);
            assertTrue(relay.admin("GET", "/stats").contains("\ta\t"), "read-only pages need no token");

            HttpResponse<String> right = relay.adminRequest("POST", DRAIN_A, "Authorization", "Bearer " + token);
            assertEquals(200, right.statusCode(), right.body());
            assertTrue(right.body().contains("state=DRAIN"), right.body());
            assertEquals("bbbbbb", six(relay));
            relay.awaitLog("refused POST " + DRAIN_A, 5000);
        }
    }

    @Test
    void withoutACredentialTheOperationsAreOff() throws Exception {
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b"); RelayProcess relay = relay(a, b)) {
            HttpResponse<String> r = relay.adminRequest("POST", DRAIN_A);
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("admin-token-file"), r.body());
            assertUntouched(relay);
        }
    }

    @Test
    void insecureOpsRunFromThisHostButNotFromAnotherSite() throws Exception {
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = relay(a, b, "admin-insecure-ops")) {
            HttpResponse<String> crossSite = relay.adminRequest("POST", DRAIN_A, "Origin", "http://evil.example");
            assertEquals(403, crossSite.statusCode(), crossSite.body());
            assertUntouched(relay);
            assertEquals(200, relay.adminRequest("POST", DRAIN_A).statusCode());
            assertEquals("bbbbbb", six(relay));
        }
    }

    @Test
    void anUnusableTokenFileStopsTheStartAndCheckConfig() throws Exception {
        Path cfg = dir.resolve("t.cfg");
        Files.writeString(cfg, "global\n    admin 127.0.0.1:0\n    admin-token-file " + dir.resolve("missing")
                + "\nlisten web\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1\n");
        for (String[] args : new String[][] {{"--config", cfg.toString()}, {"--config", cfg.toString(), "--check-config"}}) {
            var cmd = new java.util.ArrayList<>(java.util.List.of(Jdks.java(Jdks.current()), "-jar",
                    Artifacts.relayJar().toString()));
            cmd.addAll(java.util.List.of(args));
            Path err = dir.resolve("err");
            Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile()).redirectError(err.toFile())
                    .start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue());
            assertTrue(Files.readString(err).contains("admin-token-file " + dir.resolve("missing") + ": no such file"),
                    Files.readString(err));
        }
    }
}
