package dev.l7splice.agent;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The agent's own class loader: reads classes and resources from the {@code l7inst/} folder of the
 * agent jar, which no other loader looks into. Its parent is the platform loader, so it sees the
 * JDK and the bootstrap helpers but never the application's classes (nor its Netty, ASM or Byte
 * Buddy).
 */
final class AgentClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** Java 24+: the loader of {@link NativeModule}, which defines the native package; null otherwise. */
    private final ClassLoader nativeLoader;

    AgentClassLoader(File agentJar, ClassLoader nativeLoader) throws MalformedURLException {
        super("l7splice-agent", new URL[] {inner(agentJar)}, ClassLoader.getPlatformClassLoader());
        this.nativeLoader = nativeLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (nativeLoader != null && name.startsWith(NativeModule.PACKAGE + ".")) {
            return nativeLoader.loadClass(name); // one LinuxIo for the whole agent, in its named module
        }
        return super.loadClass(name, resolve);
    }

    private static URL inner(File agentJar) throws MalformedURLException {
        return new URL("jar:" + agentJar.toURI().toURL() + "!/l7inst/");
    }
}
