package dev.l7splice.agent.instrument.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.instrument.Target;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.EndSwitches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstrumentationsTest {

    @Test
    void everyTargetNamesItsOwnKeyInTheDocumentedOrder() {
        List<String> names = new ArrayList<>();
        for (Target t : Instrumentations.ALL) {
            names.add(t.name());
            assertTrue(t.enabledByDefault(), t.name());
        }
        // docs/agent.md's key table lists these, in this order
        assertEquals(List.of("transfer-to", "file-transfer", "httpserver", "tomcat", "jetty", "helidon",
                "httpurlconnection", "httpclient", "commons-io", "guava", "spring", "spring-wrappers", "copy-loop",
                "api", "connect-route"), names);
    }

    @Test
    void theConfigKnowsExactlyTheirKeys() {
        AgentConfig c = AgentConfig.load("instrumentation.tomcat.enabled=false", Map.of(), Map.of(), Instrumentations.ALL);
        for (Target t : Instrumentations.ALL) {
            assertEquals(!t.name().equals("tomcat"), c.instrumentationEnabled(t.name()), t.name());
        }
        AgentConfig.ConfigException e = assertThrows(AgentConfig.ConfigException.class,
                () -> AgentConfig.load("instrumentation.nope.enabled=false", Map.of(), Map.of(), Instrumentations.ALL));
        assertTrue(e.getMessage().contains("instrumentation.connect-route.enabled"), e.getMessage());
    }

    @Test
    void endsEnableThemselvesWhenSwitchedOn() throws Exception {
        EndSwitches ends = Instrumentations.ends(AgentConfig.load("instrumentation.jetty.enabled=false,"
                + "instrumentation.httpclient.enabled=false", Map.of(), Map.of(), Instrumentations.ALL));
        for (String on : List.of("file-transfer", "httpserver", "tomcat", "helidon", "httpurlconnection", "spring-wrappers")) {
            assertTrue(ends.on(on), on);
        }
        assertFalse(ends.on("jetty"));
        assertFalse(ends.on("httpclient"));
        assertFalse(ends.on("transfer-to"), "not an end");
    }
}
