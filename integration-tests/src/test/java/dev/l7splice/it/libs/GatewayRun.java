package dev.l7splice.it.libs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.io.ByteStreams;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.IOUtils;
import org.springframework.util.StreamUtils;

/** Starting {@link CopyHelperGateway} in its own JVM, and reading what it reports. */
final class GatewayRun {

    private GatewayRun() {
    }

    /** The gateway's class path: test classes, the demo jar, the API jar, and the libraries if asked. */
    static String classPath(boolean withLibraries) {
        List<String> cp = new ArrayList<>(List.of(Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString(), Artifacts.apiJar().toString()));
        if (withLibraries) {
            for (Class<?> c : List.of(IOUtils.class, ByteStreams.class, StreamUtils.class)) {
                cp.add(jarOf(c));
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    static JavaProcess start(Path jdk, boolean withLibraries, List<String> jvmOptions, int originPort)
            throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        opts.addAll(jvmOptions);
        return JavaProcess.start(jdk, classPath(withLibraries), opts, CopyHelperGateway.class.getName(),
                Integer.toString(originPort));
    }

    /**
     * One transferTo through the gateway, then waits until the agent's MBean is there (the agent
     * registers it on a thread of its own after the first transfer it sees), so that the counter
     * deltas a test reads afterwards are complete.
     */
    static void awaitAgentCounters(JavaProcess gw) throws IOException, InterruptedException {
        RawHttp.get(gw.port(), "/copy/transferTo/1");
        for (int i = 0; i < 200 && !Stats.of(gw.port()).registered(); i++) {
            Thread.sleep(50);
        }
        if (!Stats.of(gw.port()).registered()) {
            throw new IOException("the agent's MBean never appeared:\n" + gw.stderrTail());
        }
    }

    /** The agent's counters in the gateway, as the gateway reads them from its own MBean server. */
    record Stats(boolean registered, long spliced, long copied, String fallbacks) {

        private static final Pattern LINE = Pattern.compile("(unregistered )?spliced=(\\d+) copied=(\\d+) fallbacks=(.*)");

        static Stats of(int port) throws IOException {
            try (var s = RawHttp.connect(port)) {
                s.getOutputStream().write(RawHttp.requestHead("GET", "/stats", -1));
                RawHttp.Response head = RawHttp.readHead(s.getInputStream());
                assertEquals(200, head.status);
                String body = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                Matcher m = LINE.matcher(body);
                if (!m.matches()) {
                    throw new IOException("bad stats line: " + body);
                }
                return new Stats(m.group(1) == null, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4));
            }
        }

        /** Pipes refused under the per-user pipe limit: the agent copied instead (not a failure). */
        boolean noPipe() {
            return fallbacks.contains("no-pipe");
        }
    }

    private static String jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
