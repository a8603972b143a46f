package dev.l7splice.agent.install;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the agent's JDK-only helper package ({@code dev/l7splice/agent/bootstrap/} at the agent
 * jar's root) in the bootstrap loader class by class, instead of appending the jar to the bootstrap
 * search path. Why: on Java 25 an appended bootstrap path makes the JVM print "Sharing is only
 * supported for boot loader classes because bootstrap classpath has been appended" at every start
 * and turns class data sharing off for the application's own classes. The classes end where the
 * append would have put them (the bootstrap loader's unnamed module), so everything that calls them
 * is unchanged. Uses {@code jdk.internal.misc.Unsafe.defineClass} (Java 17 to 25), exported to the
 * agent's own module only. Loaded first in the agent's loader, before any class that names a
 * bootstrap type (the verifier would look for it); refers to none itself. Called once, at start.
 */
public final class BootClassDefiner {

    private static final String FOLDER = "dev/l7splice/agent/bootstrap/";

    /** Why the last {@link #define} did not define them all (the installer logs it at debug), or null. */
    public static volatile String failure;

    private BootClassDefiner() {
    }

    /**
     * Defines every class of the helper package from {@code agentJar} in the bootstrap loader. Null
     * when all are defined; otherwise why not, and then the caller appends the jar as before (a
     * class defined before the failure is found there first, and is the same class file).
     */
    public static String define(Instrumentation inst, File agentJar) {
        try {
            Module base = Object.class.getModule();
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(BootClassDefiner.class.getModule())),
                    Map.of(), Set.of(), Map.of());
            Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
            Method defineClass = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, ProtectionDomain.class);
            List<byte[]> pending = new ArrayList<>();
            List<String> names = new ArrayList<>();
            read(agentJar, names, pending);
            // A class's supertypes must be defined before it, and some are in this package: define
            // in rounds, each defining what it can, until one defines nothing new.
            while (!names.isEmpty()) {
                int before = names.size();
                Throwable last = null;
                for (int i = 0; i < names.size(); i++) {
                    try {
                        byte[] b = pending.get(i);
                        defineClass.invoke(unsafe, names.get(i), b, 0, b.length, null, null);
                        names.remove(i);
                        pending.remove(i);
                        i--;
                    } catch (InvocationTargetException e) {
                        last = e.getCause();
                    }
                }
                if (names.size() == before) {
                    return failure = "could not define " + names + ": " + last;
                }
            }
            return null;
        } catch (Throwable t) {
            return failure = t.toString();
        }
    }

    private static void read(File agentJar, List<String> names, List<byte[]> bytes) throws IOException {
        try (JarFile jar = new JarFile(agentJar)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String path = entry.getName();
                if (path.startsWith(FOLDER) && path.endsWith(".class")) {
                    names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
                    try (InputStream in = jar.getInputStream(entry)) {
                        bytes.add(in.readAllBytes());
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IOException("no " + FOLDER + " classes in " + agentJar);
        }
    }
}
