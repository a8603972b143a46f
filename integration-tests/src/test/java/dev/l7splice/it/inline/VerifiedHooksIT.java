package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM does not verify bootstrap classes by default, so a wrong prologue in a JDK class would
 * not fail at install but later, in the application. Here the gateway runs with the verifier on
 * for them too ({@code BytecodeVerificationLocal}), in every offload mode (each installs its own
 * JDK hooks: transferTo, the socket hand-off hooks, the connect route) and on every JDK present:
 * the agent must install, and bodies must come through intact.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VerifiedHooksIT {

    private static final long MIB = 1 << 20;

    @Test
    void everyJdkHookPassesTheVerifier() throws Exception {
        for (Path jdk : Jdks.all()) {
            for (String mode : List.of("offload=inline", "offload=inprocess",
                    "offload=sidecar,relay.socket=/nonexistent/l7-verify.sock")) {
                try (JavaProcess origin = JavaProcess.origin(jdk);
                     JavaProcess gw = JavaProcess.gateway(jdk, List.of("-XX:+UnlockDiagnosticVMOptions",
                             "-XX:+BytecodeVerificationLocal", JavaProcess.agent(mode + ",log.level=info")),
                             origin.port())) {
                    RawHttp.Response down = RawHttp.get(gw.port(), "/bytes/" + MIB);
                    assertEquals(BodyPattern.sha256Hex(MIB), down.sha256, jdk + " " + mode);
                    String err = gw.output();
                    assertTrue(err.contains("l7splice info: installed from"), jdk + " " + mode + ":\n" + err);
                    assertFalse(err.contains("agent off"), jdk + " " + mode + ":\n" + err);
                    assertFalse(err.contains("VerifyError"), jdk + " " + mode + ":\n" + err);
                }
            }
        }
    }
}
