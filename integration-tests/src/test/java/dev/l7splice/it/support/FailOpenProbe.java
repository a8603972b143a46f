package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Runs in its own JVM with the agent: calls {@code transferTo} on pairs of ends the agent must not
 * touch (TLS sockets, streams wrapping socket streams, a stream that is no socket at all) and one
 * plain socket pair it must splice, checks every byte, and prints {@code RESULT} lines and the
 * agent's counters (read in-process from the platform MBean server).
 */
public final class FailOpenProbe {

    private static final long N = 3_000_001;

    /**
     * The command that runs this probe with the agent ({@code splice.min-bytes=0}) and
     * {@code jvmOptions}, with a fresh TLS key store in {@code dir}.
     */
    public static java.util.List<String> command(java.nio.file.Path dir, java.util.List<String> jvmOptions)
            throws IOException, InterruptedException {
        java.nio.file.Path ks = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolve("bin/keytool").toString(), "-genkeypair",
                "-alias", "l7", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed");
        }
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Jdks.java(Jdks.current()),
                JavaProcess.agent("splice.min-bytes=0")));
        cmd.addAll(jvmOptions);
        cmd.addAll(java.util.List.of("-Djavax.net.ssl.keyStore=" + ks, "-Djavax.net.ssl.keyStorePassword=changeit",
                "-Djavax.net.ssl.trustStore=" + ks, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-cp", java.nio.file.Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                FailOpenProbe.class.getName()));
        return cmd;
    }

    public static void main(String[] args) throws Exception {
        ServerSocketFactory plainServers = ServerSocketFactory.getDefault();
        SocketFactory plain = SocketFactory.getDefault();
        ServerSocketFactory tlsServers = SSLServerSocketFactory.getDefault();
        SocketFactory tls = SSLSocketFactory.getDefault();

        run("plain", plainServers, plain, plainServers, plain, in -> in, out -> out);
        run("tls-source", tlsServers, tls, plainServers, plain, in -> in, out -> out);
        run("tls-destination", plainServers, plain, tlsServers, tls, in -> in, out -> out);
        run("wrapped-source", plainServers, plain, plainServers, plain, DataInputStream::new, out -> out);
        run("wrapped-destination", plainServers, plain, plainServers, plain, in -> in, DataOutputStream::new);
        run("not-a-socket", null, null, plainServers, plain, in -> in, out -> out);

        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.l7splice:type=Agent");
        for (int i = 0; i < 200 && !mbs.isRegistered(name); i++) {
            Thread.sleep(50);
        }
        System.out.println("STATS spliced=" + mbs.getAttribute(name, "BytesSpliced")
                + " fallbacks=" + mbs.getAttribute(name, "FallbacksByReason"));
    }

    interface Wrap<T> {
        T wrap(T t) throws IOException;
    }

    /**
     * A source server sends N pattern bytes; this thread copies them with transferTo into a
     * connection to a sink server, which hashes what arrives. A null source factory means the
     * source is a plain InputStream that is not a socket at all.
     */
    private static void run(String name, ServerSocketFactory srcServers, SocketFactory srcClients,
                            ServerSocketFactory sinkServers, SocketFactory sinkClients,
                            Wrap<InputStream> wrapIn, Wrap<OutputStream> wrapOut) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket sink = sinkServers.createServerSocket(0, 5, lo);
             ServerSocket src = srcServers == null ? null : srcServers.createServerSocket(0, 5, lo)) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> hashOneConnection(sink));
            if (src != null) {
                CompletableFuture.runAsync(() -> sendOneConnection(src));
            }
            try (Socket to = sinkClients.createSocket(lo, sink.getLocalPort());
                 Socket from = src == null ? null : srcClients.createSocket(lo, src.getLocalPort())) {
                InputStream in = from == null ? BodyPattern.stream(N) : from.getInputStream();
                long n = wrapIn.wrap(in).transferTo(wrapOut.wrap(to.getOutputStream()));
                to.getOutputStream().flush();
                to.shutdownOutput();
                String sha = received.get(30, TimeUnit.SECONDS);
                boolean ok = n == N && sha.equals(BodyPattern.sha256Hex(N));
                System.out.println("RESULT " + name + " " + (ok ? "ok" : "FAIL count=" + n + " sha=" + sha));
            }
        }
    }

    private static void sendOneConnection(ServerSocket server) {
        try (Socket s = server.accept()) {
            BodyPattern.writeTo(s.getOutputStream(), N);
        } catch (IOException e) {
            System.out.println("source failed: " + e);
        }
    }

    private static String hashOneConnection(ServerSocket server) {
        try (Socket s = server.accept()) {
            MessageDigest md = RawHttp.sha256();
            byte[] buf = new byte[65536];
            InputStream in = s.getInputStream();
            for (int k; (k = in.read(buf)) >= 0; ) {
                md.update(buf, 0, k);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "sink failed: " + e;
        }
    }
}
