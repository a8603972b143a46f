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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** What a stub backend does with one connection (closed after it). */
    private interface Exchange {
        void serve(Socket s) throws IOException;
    }

    /** A stub backend on loopback: each connection on its own thread; an IOException ends only that one. */
    private int backendDoing(Exchange exchange) throws IOException {
        ServerSocket ss = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        backends.add(ss);
        pool.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    pool.execute(() -> {
                        try (s) {
                            exchange.serve(s);
                        } catch (IOException ignored) {
                            // a health check connects and leaves at once; a test fails on its own side
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    /** A backend that sends "TAG\n" then {@code bodyBytes} of the pattern, then closes. */
    private int backend(String tag, long bodyBytes) throws IOException {
        return backendDoing(s -> {
            s.getOutputStream().write((tag + "\n").getBytes(StandardCharsets.US_ASCII));
            BodyPattern.writeTo(s.getOutputStream(), bodyBytes);
        });
    }

    private int startRelay(String... args) throws Exception {
        return startRelayOn("127.0.0.1:0", List.of(args));
    }

    private int startRelayOn(String listen, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jdks.java(Jdks.current()), "-jar", Artifacts.relayJar().toString(),
                "--listen", listen));
        cmd.addAll(args);
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

    /** The first line a connection through the balancer receives. */
    private static String tagOf(int port) throws IOException {
        return firstLine("127.0.0.1", port, new int[1]);
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

    /** A backend that answers with the PROXY header it received: v1's line, or v2's 16+N bytes in hex. */
    private int proxyEcho() throws IOException {
        ServerSocket ss = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        backends.add(ss);
        pool.execute(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] first = in.readNBytes(12);
                    String reply;
                    if (first[0] == 'P') {
                        StringBuilder line = new StringBuilder(new String(first, StandardCharsets.US_ASCII));
                        for (int c; (c = in.read()) != '\n'; ) {
                            line.append((char) c);
                        }
                        reply = line.toString().trim();
                    } else {
                        byte[] fixed = in.readNBytes(4);
                        int len = ((fixed[2] & 0xff) << 8) | (fixed[3] & 0xff);
                        reply = java.util.HexFormat.of().formatHex(first) + java.util.HexFormat.of().formatHex(fixed)
                                + java.util.HexFormat.of().formatHex(in.readNBytes(len));
                    }
                    s.getOutputStream().write((reply + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // health checks or test end
                }
            }
        });
        return ss.getLocalPort();
    }

    /** Connects, records the local port in {@code clientPort[0]}, returns the first line received. */
    private static String firstLine(String host, int port, int[] clientPort) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName(host), port)) {
            s.setSoTimeout(10_000);
            clientPort[0] = s.getLocalPort();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                sb.append((char) c);
            }
            return sb.toString();
        }
    }

    @Test
    void proxyProtocolV1AndV2CarryTheClientAddress() throws Exception {
        int echo = proxyEcho();
        int v1 = startRelay("--server", "127.0.0.1:" + echo, "--send-proxy", "1");
        int[] cp = new int[1];
        String line = firstLine("127.0.0.1", v1, cp);
        assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + cp[0] + " " + v1, line);
        relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        int v2 = startRelay("--server", "127.0.0.1:" + echo, "--send-proxy", "2");
        String hex = firstLine("127.0.0.1", v2, cp);
        assertEquals("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "7f000001" + "7f000001"
                + String.format("%04x%04x", cp[0], v2), hex);
        relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        // IPv6: the client connects to [::1]; the server still listens on IPv4.
        List<String> args = List.of("--server", "127.0.0.1:" + echo, "--send-proxy", "1");
        relay = null;
        int v6 = startRelayOn("[::1]:0", args);
        String line6 = firstLine("::1", v6, cp);
        assertEquals("PROXY TCP6 ::1 ::1 " + cp[0] + " " + v6, line6);
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

    /**
     * A backend that reads the whole request (to the client's FIN), then answers with the
     * request's SHA-256 on a line and {@code bodyBytes} of the pattern, and closes.
     */
    private int hashingBackend(long bodyBytes) throws IOException {
        return backendDoing(s -> {
            String hash = RawHttp.sha256Of(s.getInputStream());
            s.getOutputStream().write((hash + "\n").getBytes(StandardCharsets.US_ASCII));
            BodyPattern.writeTo(s.getOutputStream(), bodyBytes);
        });
    }

    /**
     * Clients that send their request and half-close at once, before the balancer has even picked
     * a server: the client-to-server direction ends the moment it starts, and the reply still
     * comes back whole on the same sockets. Small and large requests, many connections; one relay
     * loop, and three.
     */
    @ParameterizedTest(name = "--threads {0}")
    @ValueSource(ints = {1, 3})
    void aClientThatHalfClosesAtOnceStillGetsTheWholeReply(int threads) throws Exception {
        long reply = 200_000;
        int a = hashingBackend(reply);
        int b = hashingBackend(reply);
        // With 3 loops a client accepted on one loop is connected and relayed on another.
        int port = startRelay("--server", "127.0.0.1:" + a, "--server", "127.0.0.1:" + b, "--threads",
                Integer.toString(threads));
        List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long requestBytes = i % 10 == 0 ? 3 << 20 : 100 + i;
            runs.add(pool.submit(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setSoTimeout(30_000);
                    BodyPattern.writeTo(s.getOutputStream(), requestBytes);
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    StringBuilder line = new StringBuilder();
                    for (int ch; (ch = in.read()) != '\n'; ) {
                        assertTrue(ch >= 0, "reply cut before its first line");
                        line.append((char) ch);
                    }
                    assertEquals(BodyPattern.sha256Hex(requestBytes), line.toString(), "request as sent");
                    assertEquals(BodyPattern.sha256Hex(reply), RawHttp.sha256Of(in), "reply whole");
                }
                return null;
            }));
            if (runs.size() == 8) {
                for (java.util.concurrent.Future<?> f : runs) {
                    f.get(60, TimeUnit.SECONDS);
                }
                runs.clear();
            }
        }
        for (java.util.concurrent.Future<?> f : runs) {
            f.get(60, TimeUnit.SECONDS);
        }
    }
}
