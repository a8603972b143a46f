package dev.l7splice.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppClassInstrumentationsTest {

    @Test
    void adviceGoesOnlyWhereTheLoaderSeesOurDispatch() throws Exception {
        assertTrue(AppClassInstrumentations.seesBootstrapDispatch(getClass().getClassLoader()));
        try (URLClassLoader isolated = new URLClassLoader(new URL[0], null)) {
            assertFalse(AppClassInstrumentations.seesBootstrapDispatch(isolated), "a loader that cannot see it");
        }
    }

    @Test
    void everyTargetHasItsOwnToggleAndIsMatchedByName() {
        Set<String> toggles = new HashSet<>();
        for (AppClassInstrumentations.Target t : AppClassInstrumentations.targets()) {
            assertTrue(AgentConfig.INSTRUMENTATIONS.contains(t.toggle()), t.toggle());
            // One target per toggle; httpclient has one per major version (5.x and 4.5 entity classes).
            assertTrue(toggles.add(t.toggle()) || t.toggle().equals("httpclient"), "one target per toggle");
        }
        assertEquals(Set.of("commons-io", "guava", "spring", "api", "httpclient"), toggles);
    }
}
