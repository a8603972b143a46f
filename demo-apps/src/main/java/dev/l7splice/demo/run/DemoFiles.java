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

/** Where the demo's own jar, the agent and relay jars and the java binary are. Stateless. */
public final class DemoFiles {

    static final String AGENT_RELATIVE = "agent/target/l7agent.jar";
    static final String RELAY_RELATIVE = "relay-sidecar/target/l7relay.jar";

    private DemoFiles() {
    }

    /** The candidates for the agent jar, in the order they are tried. */
    public static List<Path> agentCandidates(String explicitPath) {
        return candidates(explicitPath, AGENT_RELATIVE);
    }

    public static Optional<Path> findAgent(String explicitPath) {
        return agentCandidates(explicitPath).stream().filter(Files::isRegularFile).findFirst();
    }

    /** The candidates for the sidecar relay jar (l7relay.jar), in the order they are tried. */
    public static List<Path> relayCandidates(String explicitPath) {
        return candidates(explicitPath, RELAY_RELATIVE);
    }

    public static Optional<Path> findRelay(String explicitPath) {
        return relayCandidates(explicitPath).stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * The explicit path alone when given; else {@code relative} under the working directory, then
     * under the repository root next to the demo jar (demo-apps/target/l7demo.jar -> ../..).
     */
    static List<Path> candidates(String explicitPath, String relative) {
        List<Path> candidates = new ArrayList<>();
        if (explicitPath != null) {
            candidates.add(Paths.get(explicitPath).toAbsolutePath().normalize());
            return candidates;
        }
        candidates.add(Paths.get(relative).toAbsolutePath().normalize());
        demoCodeLocation().map(Path::getParent).map(Path::getParent)
                .map(module -> module.resolve("..").resolve(relative.replace('/', File.separatorChar)).normalize())
                .filter(p -> !candidates.contains(p))
                .ifPresent(candidates::add);
        return candidates;
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
