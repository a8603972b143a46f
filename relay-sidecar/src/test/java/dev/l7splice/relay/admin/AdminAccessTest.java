package dev.l7splice.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AdminAccessTest {

    private static final String TOKEN = "s3cret-token-0123456789";

    @TempDir
    Path dir;

    private static Headers headers(String... nameValue) {
        Headers h = new Headers();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.add(nameValue[i], nameValue[i + 1]);
        }
        return h;
    }

    private static int status(AdminAccess a, String... nameValue) {
        AdminAccess.Denial d = a.check(headers(nameValue));
        return d == null ? 200 : d.status();
    }

    @Test
    void withATokenOnlyTheRightBearerTokenPasses() {
        AdminAccess a = AdminAccess.withToken(TOKEN);
        assertEquals(401, status(a, "Host", "127.0.0.1:9100"));
        assertEquals(401, status(a, "Host", "127.0.0.1:9100", "Authorization", "Basic " + TOKEN));
        assertEquals(401, status(a, "Host", "127.0.0.1:9100", "Authorization", "Bearer " + TOKEN + "x"));
        assertEquals(401, status(a, "Host", "127.0.0.1:9100", "Authorization", "Bearer " + TOKEN.substring(1)));
        assertEquals(401, status(a, "Host", "127.0.0.1:9100", "Authorization", "Bearer "));
        assertEquals(200, status(a, "Host", "127.0.0.1:9100", "Authorization", "Bearer " + TOKEN));
        assertEquals(200, status(a, "Host", "10.1.2.3:9100", "Authorization", "bearer " + TOKEN), "any host with a token");
        assertEquals(200, status(a, "Host", "127.0.0.1:9100", "Origin", "http://127.0.0.1:9100",
                "Authorization", "Bearer " + TOKEN), "the stats page itself");
    }

    @Test
    void aRequestFromAnotherSiteIsRefusedEvenWithTheToken() {
        AdminAccess a = AdminAccess.withToken(TOKEN);
        assertEquals(403, status(a, "Host", "127.0.0.1:9100", "Origin", "http://evil.example",
                "Authorization", "Bearer " + TOKEN));
        assertEquals(403, status(AdminAccess.insecure(), "Host", "127.0.0.1:9100", "Origin", "null"));
    }

    @Test
    void withoutACredentialNothingPasses() {
        AdminAccess a = AdminAccess.closed();
        assertEquals(403, status(a, "Host", "127.0.0.1:9100"));
        assertEquals(403, status(a, "Host", "127.0.0.1:9100", "Authorization", "Bearer " + TOKEN));
        assertEquals("off", a.mode());
    }

    @Test
    void insecureOpsNeedALoopbackHostSoDnsRebindingFails() {
        AdminAccess a = AdminAccess.insecure();
        assertEquals(200, status(a, "Host", "127.0.0.1:9100"));
        assertEquals(200, status(a, "Host", "[::1]:9100"));
        assertEquals(200, status(a, "Host", "localhost:9100", "Origin", "http://localhost:9100"));
        assertEquals(403, status(a, "Host", "rebound.example:9100", "Origin", "http://rebound.example:9100"));
        assertEquals(403, status(a));
    }

    @Test
    void theTokenFileIsTrimmedAndChecked() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, TOKEN + "\n");
        assertEquals(TOKEN, AdminAccess.read(f));
        Files.writeString(f, "short\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminAccess.read(f)).getMessage()
                .contains("16..4096 visible ASCII characters"));
        Files.writeString(f, "0123456789 abcdefghij\n");
        assertThrows(IllegalArgumentException.class, () -> AdminAccess.read(f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminAccess.read(dir.resolve("nope")))
                .getMessage().contains("no such file"));
    }

    @Test
    void theConfigurationChoosesTheMode() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, TOKEN);
        assertEquals("token", AdminAccess.from(global(f.toString(), false)).mode());
        assertEquals("insecure (loopback)", AdminAccess.from(global(null, true)).mode());
        assertEquals("off", AdminAccess.from(global(null, false)).mode());
        assertNull(AdminAccess.from(global(f.toString(), false))
                .check(headers("Host", "127.0.0.1:1", "Authorization", "Bearer " + TOKEN)));
    }

    private static dev.l7splice.relay.config.RelayConfig.Global global(String tokenFile, boolean insecure) {
        return new dev.l7splice.relay.config.RelayConfig.Global(1, 1, 4096, 1, null, null, java.util.List.of(),
                new dev.l7splice.relay.config.RelayConfig.HostPort("127.0.0.1", 0), 0, 0, tokenFile, insecure, null);
    }
}
