package dev.l7splice.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The relay refuses to start on a bad file with FILE:LINE: 'keyword' per problem; --check-config; the example file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigFileIT {

    @TempDir
    Path dir;

    private record Run(int status, String stdout, String stderr) {
    }

    private Run run(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(Jdks.java(Jdks.current()), "-jar",
                Artifacts.relayJar().toString()));
        cmd.addAll(java.util.List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void badFilesNameTheFileTheLineAndTheKeywordAndNothingStarts() throws Exception {
        String[][] cases = {
            {"listen web\n    bind 127.0.0.1:0\n    balance fastest\n    server a 127.0.0.1:1\n", ":3: 'balance'"},
            {"listen web\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1 weight 999\n", ":3: 'server'"},
            {"global\n    threads 2\n    treads 3\n    handoff-socket " + dir.resolve("h.sock") + "\n", ":3: 'treads'"},
            {"listen web\n    server a 127.0.0.1:1\n", ":1: 'listen'"},
            {"    bind 127.0.0.1:0\nlisten web\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1\n", ":1: 'bind'"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.cfg");
            Files.writeString(f, c[0]);
            Run r = run("--config", f.toString());
            assertEquals(2, r.status, c[0] + r.stderr);
            assertTrue(r.stderr.contains(f + ":") && r.stderr.contains(c[1]), "expected " + c[1] + " in: " + r.stderr);
            assertEquals(1, r.stderr.strip().split("\n").length, "one line: " + r.stderr);
            assertTrue(!r.stdout.contains("READY"), "did not start");
        }
        Run missing = run("--config", dir.resolve("nope.cfg").toString());
        assertEquals(2, missing.status);
        assertTrue(missing.stderr.contains("nope.cfg"), missing.stderr);
    }

    @Test
    void checkConfigListsEveryProblemInLineOrderThenExits2() throws Exception {
        Path f = dir.resolve("many.cfg");
        Files.writeString(f, String.join("\n",
                "global",
                "    treads 2",
                "listen web",
                "    bind localhost:80",
                "    server a 127.0.0.1:1 weight 999",
                "    server b 127.0.0.1:2",
                "listen api",
                "    bind 127.0.0.1:0",
                "    server c 127.0.0.1:3 wieght 2", ""));
        Run r = run("--config", f.toString(), "--check-config");
        assertEquals(2, r.status, r.stderr);
        assertEquals(java.util.List.of(":2: 'treads'", ":4: 'bind'", ":5: 'server'", ":9: 'server'"),
                r.stderr.strip().lines().map(l -> {
                    assertTrue(l.startsWith("l7relay: " + f + ":"), l);
                    return l.substring(("l7relay: " + f).length(), l.indexOf("': ") + 1);
                }).toList(), r.stderr);
        assertTrue(r.stderr.contains("did you mean 'weight'"), r.stderr);
        assertEquals("", r.stdout, "no summary for a bad file");
    }

    @Test
    void checkConfigValidatesTheShippedExample() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/l7relay.cfg");
        Run r = run("--config", example.toString(), "--check-config");
        assertEquals(0, r.status, r.stderr);
        assertTrue(r.stdout.startsWith("configuration valid"), r.stdout);
        assertTrue(r.stdout.contains("\nglobal: threads "), "the effective settings, defaults included: " + r.stdout);
    }

    @Test
    void aFileStartsTheBalancerWithItsSettings() throws Exception {
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("ok.cfg"), String.join("\n",
                     "# two servers, 2:1", "defaults", "    balance roundrobin", "    timeout connect 2s",
                     "listen web", "    bind 127.0.0.1:0",
                     "    server a " + a.address() + " weight 2", "    server b " + b.address(), ""))) {
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                tags.append(relay.tag("BODY 0"));
            }
            assertEquals("abaaba", tags.toString().replace("\n", ""), tags.toString());
            assertTrue(new String(Files.readAllBytes(relay.log), StandardCharsets.UTF_8).contains("listen web"));
        }
    }

    @Test
    void onJava25TheRelayLoadsItsNativeLibraryWithoutTheRestrictedMethodWarning() throws Exception {
        Path f = dir.resolve("warn.cfg");
        Files.writeString(f, "listen web\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1\n");
        Path out = dir.resolve("w.out");
        Path err = dir.resolve("w.err");
        Process p = new ProcessBuilder(Jdks.java(Jdks.JAVA_25), "-jar", Artifacts.relayJar().toString(),
                "--config", f.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Files.readString(out).contains("READY") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(out).contains("READY"), Files.readString(err));
            assertTrue(!Files.readString(err).contains("restricted method"), Files.readString(err));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
