package dev.l7splice.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.instrument.targets.Instrumentations;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AgentConfigTest {

    private static AgentConfig load(String args, Map<String, String> env, Map<Object, Object> props) {
        return AgentConfig.load(args, env, props, Instrumentations.ALL);
    }

    @Test
    void defaults() {
        AgentConfig c = load(null, Map.of(), new Properties());
        assertTrue(c.enabled);
        assertEquals("inline", c.offload);
        assertEquals(32 * 1024, c.spliceMinBytes);
        assertEquals(AgentLog.Level.WARN, c.logLevel);
        assertEquals(1 << 20, c.pipeSize);
        assertEquals(256, c.pipesMax);
    }

    @Test
    void precedenceIsSystemPropertyThenEnvironmentThenAgentArgument() {
        Map<Object, Object> props = new HashMap<>();
        Map<String, String> env = new HashMap<>();
        String args = "splice.min-bytes=1k,pipes.max=3,log.level=debug";
        env.put("L7_SPLICE_MIN_BYTES", "2k");
        env.put("L7_PIPES_MAX", "5");
        props.put("l7.splice.min-bytes", "3k");
        AgentConfig c = load(args, env, props);
        assertEquals(3 * 1024, c.spliceMinBytes);
        assertEquals(5, c.pipesMax);
        assertEquals(AgentLog.Level.DEBUG, c.logLevel);
    }

    @Test
    void sizesTakeBinarySuffixes() {
        AgentConfig c = load("pipe.size=256k,splice.min-bytes=2m", Map.of(), Map.of());
        assertEquals(256 * 1024, c.pipeSize);
        assertEquals(2L << 20, c.spliceMinBytes);
    }

    @Test
    void killSwitch() {
        assertFalse(load(null, Map.of("L7_ENABLED", "false"), Map.of()).enabled);
    }

    @Test
    void unknownKeysAreErrorsFromEverySource() {
        assertThrows(AgentConfig.ConfigException.class, () -> load("nope=1", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load(null, Map.of("L7_NOPE", "1"), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load(null, Map.of(), Map.of("l7.nope", "1")));
    }

    @Test
    void badValuesNameTheKeyAndTheSource() {
        AgentConfig.ConfigException e = assertThrows(AgentConfig.ConfigException.class,
                () -> load(null, Map.of(), Map.of("l7.pipe.size", "12q")));
        assertTrue(e.getMessage().contains("pipe.size=12q"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dl7.pipe.size"), e.getMessage());
        assertThrows(AgentConfig.ConfigException.class, () -> load("enabled=yes", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load("offload=magic", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load("log.level=loud", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load("pipes.max=0", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load("splice.min-bytes=-1", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class, () -> load("justakey", Map.of(), Map.of()));
    }

    @Test
    void otherEnvironmentAndPropertiesAreIgnored() {
        AgentConfig c = load(null, Map.of("PATH", "/bin", "L7X", "1"), Map.of("java.home", "/x", "l7x", "y"));
        assertTrue(c.enabled);
    }

    @Test
    void instrumentationsSwitchOffOneByOne() {
        AgentConfig c = load("instrumentation.guava.enabled=false", Map.of("L7_INSTRUMENTATION_COPY_LOOP_ENABLED", "false"),
                Map.of());
        assertFalse(c.instrumentationEnabled("guava"));
        assertFalse(c.instrumentationEnabled("copy-loop"));
        assertTrue(c.instrumentationEnabled("transfer-to"));
        assertThrows(AgentConfig.ConfigException.class,
                () -> load("instrumentation.nope.enabled=false", Map.of(), Map.of()));
        assertThrows(AgentConfig.ConfigException.class,
                () -> load("instrumentation.guava.enabled=maybe", Map.of(), Map.of()));
    }

    @Test
    void virtualThreadsPollerIsAutoOrOff() {
        assertEquals("auto", load(null, Map.of(), Map.of()).virtualThreadsPoller);
        assertEquals("off", load(null, Map.of("L7_VIRTUAL_THREADS_POLLER", "off"), Map.of()).virtualThreadsPoller);
        AgentConfig.ConfigException e = assertThrows(AgentConfig.ConfigException.class,
                () -> load("virtual-threads.poller=on", Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("expected one of auto, off"), e.getMessage());
    }
}
