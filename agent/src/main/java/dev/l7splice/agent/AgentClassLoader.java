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

    AgentClassLoader(File agentJar) throws MalformedURLException {
        super("l7splice-agent", new URL[] {inner(agentJar)}, ClassLoader.getPlatformClassLoader());
    }

    private static URL inner(File agentJar) throws MalformedURLException {
        return new URL("jar:" + agentJar.toURI().toURL() + "!/l7inst/");
    }
}
