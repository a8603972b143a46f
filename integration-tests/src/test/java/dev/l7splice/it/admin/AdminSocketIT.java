package dev.l7splice.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.Sidecar;
import dev.l7splice.it.support.TagServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin endpoint on a Unix socket (admin-socket): mode 0600, the relay's own uid runs the
 * operations without a token (while TCP still needs one), another uid is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminSocketIT {

    /** One HTTP/1.0 request over the socket; the whole answer. */
    private static String request(Path socket, String method, String target) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap((method + " " + target + " HTTP/1.0\r\nHost: l7relay\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            StringBuilder sb = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                sb.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                buf.clear();
            }
            return sb.toString();
        }
    }

    private static String six(RelayProcess relay) throws IOException {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tags.append(relay.tag("BODY 0"));
        }
        return tags.toString();
    }

    @Test
    void theOwnUidDrainsThroughTheSocketWithoutAToken() throws Exception {
        Path dir = Sidecar.socketDir();
        Path socket = dir.resolve("admin.sock");
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("r.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0", "    admin-socket " + socket,
                     "listen web", "    bind 127.0.0.1:0", "    balance roundrobin",
                     "    server a " + a.address(), "    server b " + b.address(), ""))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(403, relay.adminRequest("POST", "/servers/web/a?state=drain").statusCode(),
                    "TCP still needs a credential");
            assertTrue(request(socket, "GET", "/metrics").contains("l7relay_server_up{pool=\"web\",server=\"a\""));
            String r = request(socket, "POST", "/servers/web/a?state=drain");
            assertTrue(r.startsWith("HTTP/1.0 200") && r.contains("state=DRAIN"), r);
            assertEquals("bbbbbb", six(relay));
            assertTrue(request(socket, "POST", "/servers/web/nope?state=drain").startsWith("HTTP/1.0 404"));
            assertTrue(request(socket, "POST", "/servers/web/a?state=sleep").startsWith("HTTP/1.0 400"));
            relay.awaitLog("admin: POST /servers/web/a?state=drain from unix socket uid", 5000);
        }
    }

    @Test
    void anotherUidIsRefusedEvenWhenTheFileLetsItIn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run a client as nobody (CI runs as root)");
        Path dir = Sidecar.socketDir();
        Path socket = dir.resolve("admin.sock");
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("r.cfg"), String.join("\n",
                     "global", "    admin-socket " + socket,
                     "listen web", "    bind 127.0.0.1:0", "    server a " + a.address(), "    server b " + b.address(),
                     ""))) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-")); // the uid check alone
            Path probe = dir.resolve("AdminPeer.java");
            Files.writeString(probe, String.join("\n",
                    "import java.net.*; import java.nio.*; import java.nio.channels.*;",
                    "public class AdminPeer { public static void main(String[] a) throws Exception {",
                    "  try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {",
                    "    c.connect(UnixDomainSocketAddress.of(a[0]));",
                    "    c.write(ByteBuffer.wrap(\"POST /servers/web/a?state=maint HTTP/1.0\\r\\n\\r\\n\".getBytes()));",
                    "    ByteBuffer b = ByteBuffer.allocate(64);",
                    "    System.out.println(\"connected read=\" + c.read(b) + \" \" + new String(b.array()).trim());",
                    "  } catch (java.io.IOException e) { System.out.println(\"connected closed: \" + e.getMessage()); } } }"));
            probe.toFile().setReadable(true, false);
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Jdks.java(Jdks.current()), probe.toString(), socket.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // the relay closes at once: the client's read sees the end, or (the close racing its request)
            // a reset or a broken pipe; never an answer, and never a refused connect (the file let it in)
            assertTrue(out.contains("connected read=-1") || out.contains("connected closed: Connection reset")
                    || out.contains("connected closed: Broken pipe"), "closed by the relay, no answer: " + out);
            relay.awaitLog("admin socket: refused a connection from uid 65534", 5000);
            assertEquals(3, six(relay).chars().filter(c -> c == 'a').count(), "a still in rotation");
        }
    }
}
