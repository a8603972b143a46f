package dev.l7splice.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put the jars under test (set by failsafe; defaults work from the module dir). */
public final class Artifacts {

    private Artifacts() {
    }

    public static Path agentJar() {
        return existing(System.getProperty("l7.it.agentJar", "../agent/target/l7agent.jar"));
    }

    public static Path demoJar() {
        return existing(System.getProperty("l7.it.demoJar", "../demo-apps/target/l7demo.jar"));
    }

    public static Path relayJar() {
        return existing(System.getProperty("l7.it.relayJar", "../relay-sidecar/target/l7relay.jar"));
    }

    public static Path apiJar() {
        return existing(System.getProperty("l7.it.apiJar", "../api/target/l7splice-api.jar"));
    }

    private static Path existing(String p) {
        Path path = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build with mvn package first");
        }
        return path;
    }
}
