package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay as a standalone splicing TCP balancer ({@code --listen}), with stub backends that tag
 * every reply: rotation order, a server taken down by its health check, a clean close when all
 * are down, and bulk bytes through it byte-exact.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StandaloneBalancerIT {

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<ServerSocket> backends = new ArrayList<>();
    private Process relay;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ServerSocket s : backends) {
            s.close();
        }
        pool.shutdownNow();
    }

    /** A backend that sends "TAG\n" then {@code bodyBytes} of the pattern, then closes. */
    private int backend(String tag, long bodyBytes) throws IOException {
        ServerSocket ss = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        backends.add(ss);
        pool.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    pool.execute(() -> {
                        try (s) {
                            s.getOutputStream().write((tag + "\n").getBytes(StandardCharsets.US_ASCII));
                            BodyPattern.writeTo(s.getOutputStream(), bodyBytes);
                        } catch (IOException ignored) {
                            // a health check connects and leaves at once
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    private int startRelay(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jdks.java(Jdks.current()), "-jar", Artifacts.relayJar().toString(),
                "--listen", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("l7it-balancer", ".out");
        relay = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(Files.createTempFile("l7it-balancer", ".err").toFile()).start();
        for (int i = 0; i < 600; i++) {
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("READY")) {
                    return Integer.parseInt(line.replaceAll(".*listen=(\\d+).*", "$1"));
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("balancer did not start");
    }

    private static String tagOf(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                sb.append((char) c);
            }
            return sb.toString();
        }
    }

    @Test
    void roundRobinRotatesAndAHealthCheckTakesADeadServerOut() throws Exception {
        int a = backend("a", 0);
        int b = backend("b", 0);
        int c = backend("c", 0);
        int port = startRelay("--server", "127.0.0.1:" + a, "--server", "127.0.0.1:" + b, "--server", "127.0.0.1:" + c,
                "--balance", "roundrobin", "--check", "tcp", "--inter", "100", "--rise", "1", "--fall", "1");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            order.append(tagOf(port));
        }
        assertEquals("abcabcabc", order.toString());

        backends.get(1).close(); // b dies
        Thread.sleep(600); // several check intervals
        StringBuilder after = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            after.append(tagOf(port));
        }
        assertEquals(8, after.length(), "every connection served: " + after);
        assertTrue(after.indexOf("b") < 0, "b is out: " + after);
    }

    @Test
    void allServersDownIsACleanClose() throws Exception {
        int a = backend("a", 0);
        backends.get(0).close();
        int port = startRelay("--server", "127.0.0.1:" + a, "--retries", "1", "--connect-timeout-ms", "500");
        assertEquals("", tagOf(port), "closed without a byte");
    }

    @Test
    void bulkBodiesAreByteExact() throws Exception {
        long n = 256L << 20;
        int a = backend("a", n);
        int b = backend("b", n);
        int port = startRelay("--server", "127.0.0.1:" + a, "--server", "127.0.0.1:" + b, "--balance", "leastconn");
        for (int i = 0; i < 2; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                for (int ch; (ch = in.read()) != '\n'; ) {
                    assertTrue(ch >= 0);
                }
                assertEquals(BodyPattern.sha256Hex(n), RawHttp.sha256Of(in));
            }
        }
    }
}
