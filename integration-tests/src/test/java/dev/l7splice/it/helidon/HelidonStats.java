package dev.l7splice.it.helidon;

import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** HelidonApp's /stats line: the agent's counters in the app's JVM and its open fds. */
record HelidonStats(long files, long spliced, long copied, String fallbacks, long fds) {

    static HelidonStats of(JavaProcess p) throws IOException {
        String line = text(p, "/stats").trim();
        return new HelidonStats(field(line, "files"), field(line, "spliced"), field(line, "copied"),
                line.substring(line.indexOf("fallbacks=[") + 11, line.lastIndexOf(']')), field(line, "fds"));
    }

    /** Stats once {@code until} holds (at most 5 s): the handler's thread counts after its last byte is on the wire. */
    static HelidonStats await(JavaProcess p, Predicate<HelidonStats> until) throws IOException, InterruptedException {
        HelidonStats s = of(p);
        for (int i = 0; i < 50 && !until.test(s); i++) {
            Thread.sleep(100);
            s = of(p);
        }
        return s;
    }

    /** How often {@code reason} was counted (0 when never). */
    long count(String reason) {
        for (String f : fallbacks.split(" ")) {
            int eq = f.lastIndexOf('=');
            if (eq > 0 && f.substring(0, eq).equals(reason)) {
                return Long.parseLong(f.substring(eq + 1));
            }
        }
        return 0;
    }

    /** A plain GET's whole body as text (Content-Length), on a connection of its own. */
    static String text(JavaProcess p, String path) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(RawHttp.requestHead("GET", path, -1));
            RawHttp.Response head = RawHttp.readHead(s.getInputStream());
            byte[] b = s.getInputStream().readNBytes(Integer.parseInt(head.header("content-length")));
            return new String(b, StandardCharsets.US_ASCII);
        }
    }

    private static long field(String line, String name) {
        for (String f : line.split(" ")) {
            if (f.startsWith(name + "=")) {
                return Long.parseLong(f.substring(name.length() + 1));
            }
        }
        throw new IllegalArgumentException(name + " not in " + line);
    }
}
