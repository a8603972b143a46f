package dev.l7splice.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * Puts the JDK-only helper package on the bootstrap class path, creates the agent's own class
 * loader over the {@code l7inst/} part of the agent jar, and calls the installer there. Everything
 * third-party (ASM, shaded) and all agent logic stay invisible to the application's loaders.
 */
final class AgentStarter {

    private static final String INSTALLER = "dev.l7splice.agent.install.AgentInstaller";

    private AgentStarter() {
    }

    static void start(String args, Instrumentation inst) {
        try {
            File jar = agentJar();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            ClassLoader loader = new AgentClassLoader(jar, nativeLoader(jar));
            Class<?> installer = Class.forName(INSTALLER, true, loader);
            installer.getMethod("install", String.class, Instrumentation.class, File.class)
                    .invoke(null, args, inst, jar);
        } catch (Throwable t) {
            // The boundary: whatever went wrong, the application starts as if there were no agent.
            System.err.println("l7splice: agent not started: " + t);
        }
    }

    /** Java 24+: the named module for the native library (see {@link NativeModule}); null if not needed or failed. */
    private static ClassLoader nativeLoader(File jar) {
        if (Runtime.version().feature() < 24) {
            return null;
        }
        try {
            return NativeModule.define(jar);
        } catch (Throwable t) {
            return null; // the library then loads from the unnamed module, with the JDK's warning
        }
    }

    private static File agentJar() throws Exception {
        URL location = AgentStarter.class.getProtectionDomain().getCodeSource().getLocation();
        return new File(location.toURI());
    }
}
