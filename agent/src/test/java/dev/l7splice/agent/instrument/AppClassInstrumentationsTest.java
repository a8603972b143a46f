package dev.l7splice.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class AppClassInstrumentationsTest {

    @Test
    void adviceGoesOnlyWhereTheLoaderSeesOurDispatch() throws Exception {
        assertTrue(AppClassInstrumentations.seesBootstrapDispatch(getClass().getClassLoader()));
        try (URLClassLoader isolated = new URLClassLoader(new URL[0], null)) {
            assertFalse(AppClassInstrumentations.seesBootstrapDispatch(isolated), "a loader that cannot see it");
        }
    }
}
