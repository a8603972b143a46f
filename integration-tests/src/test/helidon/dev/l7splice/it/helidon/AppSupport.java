package dev.l7splice.it.helidon;

import dev.l7splice.demo.BodyPattern;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** HelidonApp's helpers: its pattern files, its TLS context, its open fd count, the wrapper stream. */
final class AppSupport {

    private AppSupport() {
    }

    static javax.net.ssl.SSLContext sslContext(Path keyStore) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static long openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A pattern file of n bytes, written once, named body-N in the static directory. */
    static synchronized Path file(Path dir, long n) throws IOException {
        Path f = dir.resolve("body-" + n);
        if (!Files.exists(f)) {
            try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                BodyPattern.writeTo(o, n);
            }
        }
        return f;
    }

    /** A wrapper the agent cannot see through: its body stays with Helidon's code. */
    static final class PassThrough extends FilterOutputStream {
        PassThrough(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
