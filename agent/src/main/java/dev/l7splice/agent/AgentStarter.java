package dev.l7splice.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * Creates the agent's own class loader over the {@code l7inst/} part of the agent jar, has it define
 * the JDK-only helper package in the bootstrap loader (or, if that fails, appends the jar to the
 * bootstrap search path, which also makes them the bootstrap loader's), and calls the installer there. Everything
 * third-party (ASM, shaded) and all agent logic stay invisible to the application's loaders.
 */
final class AgentStarter {

    private static final String INSTALLER = "dev.l7splice.agent.install.AgentInstaller";
    private static final String BOOT_DEFINER = "dev.l7splice.agent.install.BootClassDefiner";

    private AgentStarter() {
    }

    static void start(String args, Instrumentation inst) {
        try {
            File jar = agentJar();
            ClassLoader loader = new AgentClassLoader(jar, nativeLoader(jar));
            // Before any class naming a bootstrap type is loaded: the verifier would look for it.
            Object failed = Class.forName(BOOT_DEFINER, true, loader)
                    .getMethod("define", Instrumentation.class, File.class).invoke(null, inst, jar);
            if (failed != null) {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            }
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
