package dev.l7splice.demo.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Spring Boot MVC proxy app of module demo-spring: its plain jar and the {@code lib/} folder its
 * build copies the app's dependencies (Boot, Tomcat, Logback) into. Kept out of l7demo.jar on purpose:
 * bundled, those jars would sit on the class path of every demo process and of the tests that use
 * the demo jar, and shading them would rename the packages the agent matches by name. Immutable.
 */
final class SpringApp {

    static final String JAR_RELATIVE = "demo-spring/target/demo-spring.jar";
    static final String MAIN_CLASS = "dev.l7splice.demo.spring.SpringProxyApp";
    static final String LIB = "lib";

    private final Path jar;

    private SpringApp(Path jar) {
        this.jar = jar;
    }

    /** The candidates for demo-spring.jar, in the order they are tried (looked up like the agent jar). */
    static List<Path> candidates() {
        return DemoFiles.candidates(null, JAR_RELATIVE);
    }

    /** The first candidate that is a jar with a {@code lib/} folder beside it. */
    static Optional<SpringApp> find(List<Path> candidates) {
        return candidates.stream().filter(SpringApp::complete).findFirst().map(SpringApp::new);
    }

    /** Why {@link #find} found nothing: what was looked at and how to build it. */
    static String whyMissing(List<Path> candidates) {
        String looked = candidates.stream().map(p -> p + " (with " + p.resolveSibling(LIB) + ")")
                .collect(Collectors.joining(", "));
        return "no demo-spring.jar with its lib/ folder beside it; looked at: " + looked
                + "; build it with 'mvn -q -DskipTests package' at the repository root (bin/demo does)";
    }

    /** {@code demo-spring.jar:lib/*}: the JVM expands the wildcard, no shell involved. */
    String classPath() {
        return jar + File.pathSeparator + jar.resolveSibling(LIB).resolve("*");
    }

    private static boolean complete(Path jar) {
        return Files.isRegularFile(jar) && Files.isDirectory(jar.resolveSibling(LIB));
    }
}
