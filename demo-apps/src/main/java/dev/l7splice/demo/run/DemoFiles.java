package dev.l7splice.demo.run;

import dev.l7splice.demo.DemoMain;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where the demo's own jar, the agent jar and the java binary are. Stateless. */
public final class DemoFiles {

    static final String AGENT_RELATIVE = "agent/target/l7agent.jar";

    private DemoFiles() {
    }

    /** The candidates for the agent jar, in the order they are tried. */
    public static List<Path> agentCandidates(String explicitPath) {
        List<Path> candidates = new ArrayList<>();
        if (explicitPath != null) {
            candidates.add(Paths.get(explicitPath).toAbsolutePath().normalize());
            return candidates;
        }
        candidates.add(Paths.get(AGENT_RELATIVE).toAbsolutePath().normalize());
        // demo-apps/target/l7demo.jar -> demo-apps -> ../agent/target/l7agent.jar
        demoCodeLocation().map(Path::getParent).map(Path::getParent)
                .map(module -> module.resolve("..").resolve(AGENT_RELATIVE.replace('/', File.separatorChar)).normalize())
                .filter(p -> !candidates.contains(p))
                .ifPresent(candidates::add);
        return candidates;
    }

    public static Optional<Path> findAgent(String explicitPath) {
        return agentCandidates(explicitPath).stream().filter(Files::isRegularFile).findFirst();
    }

    /** The java launcher of this JVM, so children run on the same JDK. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This JVM's class path with absolute entries: l7demo.jar, or target/classes in a build. */
    public static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Paths.get(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Optional<Path> demoCodeLocation() {
        try {
            CodeSource source = DemoMain.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Paths.get(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
