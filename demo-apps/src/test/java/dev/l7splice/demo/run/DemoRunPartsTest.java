package dev.l7splice.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.cli.UsageException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DemoRunPartsTest {

    @Test
    void readyLinesOfTheServersAndOfTheRelay() {
        assertEquals(4242, ChildProcess.readyPort("READY port=4242", "port"));
        assertEquals(4242, ChildProcess.readyPort("  READY port=4242 \r", "port"));
        assertEquals(9100, ChildProcess.readyPort("READY socket=/tmp/l7demo-1/relay.sock admin=9100", "admin"));
        assertEquals(-1, ChildProcess.readyPort("READY socket=/tmp/l7demo-1/relay.sock", "admin"));
        assertEquals(-1, ChildProcess.readyPort("relay listening on port=1", "port"));
        assertEquals(-1, ChildProcess.readyPort("READYport=1", "port"));
        assertThrows(NumberFormatException.class, () -> ChildProcess.readyPort("READY port=x", "port"));
        assertThrows(NumberFormatException.class, () -> ChildProcess.readyPort("READY port=0", "port"));
    }

    @Test
    void prometheusSamples() {
        String text = "# HELP l7relay_spliced_bytes_total Bytes moved with splice(2).\n"
                + "# TYPE l7relay_spliced_bytes_total counter\n"
                + "l7relay_transfers_total{result=\"done\"} 3\n"
                + "l7relay_spliced_bytes_total_other 1\n"
                + "l7relay_spliced_bytes_total 3221225472\n"
                + "l7relay_pipes_open 1.5e3\n";
        assertEquals(OptionalLong.of(3221225472L), RelayMetrics.sample(text, RelayMetrics.BYTES_SPLICED));
        assertEquals(OptionalLong.of(1500), RelayMetrics.sample(text, "l7relay_pipes_open"));
        assertEquals(OptionalLong.empty(), RelayMetrics.sample(text, "l7relay_missing"));
        assertEquals(OptionalLong.empty(), RelayMetrics.sample("", RelayMetrics.BYTES_SPLICED));
    }

    @Test
    void relayOption() {
        DemoOptions o = DemoOptions.parse(new String[] {"--relay", "/x/l7relay.jar", "--size", "64m"});
        assertEquals("/x/l7relay.jar", o.relayPath);
        assertEquals(64L << 20, o.size);
        assertNull(DemoOptions.parse(new String[0]).relayPath);
        assertThrows(UsageException.class, () -> DemoOptions.parse(new String[] {"--relay"}));
        assertTrue(DemoOptions.USAGE.contains("--relay PATH"));
    }

    @Test
    void relayJarIsLookedUpLikeTheAgentJar() {
        assertEquals(List.of(Paths.get("/x/l7relay.jar")), DemoFiles.relayCandidates("/x/l7relay.jar"));
        List<Path> defaults = DemoFiles.relayCandidates(null);
        assertEquals(Paths.get("relay-sidecar/target/l7relay.jar").toAbsolutePath().normalize(), defaults.get(0));
        assertTrue(defaults.stream().allMatch(p -> p.endsWith(Paths.get("relay-sidecar", "target", "l7relay.jar"))),
                defaults.toString());
        assertEquals(defaults.size(), DemoFiles.agentCandidates(null).size());
    }

    @Test
    void modesInTableOrderWithTheirAgentOptions() {
        assertEquals(List.of("without agent", "agent inline", "agent inprocess", "agent sidecar",
                        "Spring MVC, no agent", "Spring MVC + agent", "file server, no agent", "file server + agent"),
                java.util.Arrays.stream(DemoMode.values()).map(m -> m.label).toList());
        Path agent = Paths.get("/a/l7agent.jar");
        Path socket = Paths.get("/t/relay.sock");
        assertFalse(DemoMode.WITHOUT_AGENT.withAgent());
        assertTrue(DemoMode.FILES_AGENT.fileServer() && DemoMode.FILES_AGENT.withAgent());
        assertFalse(DemoMode.FILES_WITHOUT_AGENT.withAgent() || DemoMode.AGENT_INLINE.fileServer());
        assertEquals("-javaagent:/a/l7agent.jar=offload=inline,log.level=info",
                DemoMode.AGENT_INLINE.javaagentOption(agent, socket));
        assertEquals("-javaagent:/a/l7agent.jar=offload=sidecar,log.level=info,relay.socket=/t/relay.sock",
                DemoMode.AGENT_SIDECAR.javaagentOption(agent, socket));
        assertFalse(DemoMode.AGENT_INLINE.handsOff());
        assertTrue(DemoMode.AGENT_INPROCESS.handsOff());
        assertEquals("BytesRelayedBySidecar", DemoMode.AGENT_SIDECAR.splicedAttribute);
        assertTrue(DemoMode.AGENT_SIDECAR.needsRelayProcess());
        assertFalse(DemoMode.AGENT_INPROCESS.needsRelayProcess());
    }

    @Test
    void theSpringRowsProxyUnderProxyWithTheInlineAgent() {
        assertTrue(DemoMode.SPRING_WITHOUT_AGENT.springApp() && !DemoMode.SPRING_WITHOUT_AGENT.withAgent());
        assertTrue(DemoMode.SPRING_AGENT.springApp() && DemoMode.SPRING_AGENT.withAgent());
        assertFalse(DemoMode.SPRING_AGENT.handsOff() || DemoMode.SPRING_AGENT.fileServer()
                || DemoMode.AGENT_INLINE.springApp());
        assertEquals("BytesSpliced", DemoMode.SPRING_AGENT.splicedAttribute);
        assertEquals("/proxy/8388608", DemoMode.SPRING_AGENT.path(8388608));
        assertEquals("/bytes/8388608", DemoMode.AGENT_INLINE.path(8388608));
        assertEquals("/bytes/8388608", DemoMode.FILES_AGENT.path(8388608));
    }

    @Test
    void theSpringAppNeedsItsJarAndTheLibFolderBesideIt(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("target/demo-spring.jar");
        List<Path> candidates = List.of(dir.resolve("elsewhere/demo-spring.jar"), jar);
        assertTrue(SpringApp.find(candidates).isEmpty());
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[0]);
        assertTrue(SpringApp.find(candidates).isEmpty(), "a jar without its lib/ is not enough");
        String why = SpringApp.whyMissing(candidates);
        assertTrue(why.contains(jar.toString()) && why.contains(dir.resolve("target/lib").toString())
                && why.contains("mvn -q -DskipTests package"), why);
        Files.createDirectories(dir.resolve("target/lib"));
        assertEquals(jar + File.pathSeparator + dir.resolve("target/lib/*"), SpringApp.find(candidates).get().classPath());
        assertTrue(SpringApp.candidates().stream().allMatch(p -> p.endsWith(Paths.get("demo-spring", "target",
                "demo-spring.jar"))), SpringApp.candidates().toString());
    }
}
