package dev.l7splice.agent.install;

import dev.l7splice.agent.runtime.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Java 24+ warns on the application's stderr when a class loads a native library without native
 * access, and says a later release will refuse it. {@code --enable-native-access} and the
 * {@code Enable-Native-Access} manifest attribute are the application's to give (the attribute is
 * honoured only for {@code java -jar}), so the agent grants it to the named module that holds its
 * native class (see the starter's NativeModule), and to that module only, the way the launcher
 * does for the option: through {@code Module.implAddEnableNativeAccess}, reached with the
 * {@link Instrumentation} an agent holds (java.lang is opened to the agent's own loader alone).
 * Any failure leaves things as they were: the JDK prints its warning and the library still loads.
 */
final class NativeAccess {

    private NativeAccess() {
    }

    /** Before the agent's first {@code System.load}; true if native access was granted here. */
    static boolean grant(Instrumentation inst, Module module) {
        if (Runtime.version().feature() < 24 || inst == null || !module.isNamed()) {
            return false;
        }
        try {
            Module base = Object.class.getModule();
            inst.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(NativeAccess.class.getModule())),
                    Set.of(), Map.of());
            Method enable = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
            enable.setAccessible(true);
            enable.invoke(module);
            return true;
        } catch (Throwable t) {
            AgentLog.debug("native access not granted (" + t + "); Java prints its warning");
            return false;
        }
    }
}
