package dev.l7splice.it.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP reloads under load with no failed connection; SIGTERM drains in-flight bodies, then exits. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReloadDrainIT {

    private static final long BODY = 256 * 1024;
    private static final String BODY_SHA;

    static {
        try {
            BODY_SHA = RawHttp.sha256Of(BodyPattern.stream(BODY));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;

    private static String config(String balance, TagServer... servers) {
        StringBuilder sb = new StringBuilder("global\n    admin 127.0.0.1:0\n    grace 20s\n"
                + "listen web\n    bind 127.0.0.1:0\n    balance " + balance + "\n");
        for (TagServer s : servers) {
            sb.append("    server ").append(s.tag).append(' ').append(s.address()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void reloadUnderLoadFailsNoConnectionAndAppliesTheNewPool() throws Exception {
        Path file = dir.resolve("r.cfg");
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b"); TagServer c = new TagServer("c");
             RelayProcess relay = RelayProcess.withConfig(file, config("roundrobin", a, b))) {
            long fdsBefore = ProcStats.openFds(relay.pid());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
            Thread[] clients = new Thread[4];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = new Thread(() -> {
                    while (!stop.get()) {
                        try (Socket s = relay.open("BODY " + BODY)) {
                            InputStream in = s.getInputStream();
                            String tag = RelayProcess.readLine(in);
                            String sha = RawHttp.sha256Of(in);
                            if (!sha.equals(BODY_SHA)) {
                                throw new IOException("bad body from " + tag);
                            }
                            seen.merge(tag, 1, Integer::sum);
                            ok.incrementAndGet();
                        } catch (IOException e) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        }
                    }
                });
                clients[i].start();
            }
            Thread.sleep(500);
            Files.writeString(file, config("leastconn", a, b, c));
            relay.signal("HUP");
            relay.awaitLog("reloaded", 10_000);
            Thread.sleep(500);
            Files.writeString(file, "listen web\n    bind nowhere\n");
            relay.signal("HUP");
            relay.awaitLog("reload failed", 10_000);
            Thread.sleep(500);
            Files.writeString(file, config("roundrobin", c));
            relay.signal("HUP");
            awaitCount(relay, "reloaded", 2);
            Thread.sleep(300); // connections that began before the reload finish
            seen.clear();
            Thread.sleep(700);
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            assertEquals(Map_of(), failures, "no connection failed across three reloads");
            assertTrue(ok.get() > 20, "load kept flowing: " + ok.get());
            assertEquals(java.util.Set.of("c"), seen.keySet(), "after the last reload only c serves: " + seen);
            assertTrue(relay.logText().contains("'bind'"), "the bad file's error names the keyword");
            assertTrue(ProcStats.settle(() -> ProcStats.openFdsUnchecked(relay.pid()), fdsBefore + 2, 10_000)
                    <= fdsBefore + 2, "no fd leak");
        }
    }

    private static java.util.Map<String, Integer> Map_of() {
        return java.util.Map.of();
    }

    private static void awaitCount(RelayProcess relay, String text, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (relay.logText().split(text, -1).length - 1 < n) {
            assertTrue(System.currentTimeMillis() < deadline, "expected " + n + " x '" + text + "':\n" + relay.logText());
            Thread.sleep(20);
        }
    }

    /** A reload that changes global settings keeps them until a restart and says which; an added section is named. */
    @Test
    void aReloadNamesTheGlobalSettingsThatWaitForARestart() throws Exception {
        try (TagServer a = new TagServer("a")) {
            Path file = dir.resolve("g.cfg");
            try (RelayProcess relay = RelayProcess.withConfig(file, config("roundrobin", a))) {
                Files.writeString(file, config("roundrobin", a).replace("grace 20s", "grace 20s\n    pipes-max 64")
                        + "listen extra\n    bind 127.0.0.1:0\n    server a " + a.address() + "\n");
                relay.signal("HUP");
                relay.awaitLog("reloaded", 10_000);
                assertTrue(relay.logText().contains("global settings changed (pipes-max)"), relay.logText());
                assertTrue(relay.logText().contains("sections added [extra]"), relay.logText());
                assertEquals("a", relay.tag("BODY 0"));
            }
        }
    }

    /** nohup leaves SIGHUP ignored, and a JVM never takes an ignored SIGHUP: the relay says reload cannot work. */
    @Test
    void aRelayStartedWithSighupIgnoredSaysItCannotReload() throws Exception {
        try (TagServer a = new TagServer("a")) {
            Path file = dir.resolve("n.cfg");
            Files.writeString(file, config("roundrobin", a));
            try (RelayProcess relay = RelayProcess.startWithSighupIgnored("--config", file.toString())) {
                relay.awaitLog("SIGHUP was ignored when the relay started (nohup?)", 10_000);
                assertEquals("a", relay.tag("BODY 0"));
            }
            try (RelayProcess relay = RelayProcess.withConfig(file, config("roundrobin", a))) {
                assertEquals("a", relay.tag("BODY 0"));
                assertTrue(!relay.logText().contains("SIGHUP was ignored"), "no warning when HUP works: " + relay.logText());
            }
        }
    }

    @Test
    void sigtermStopsAcceptingFinishesTheBodyInFlightThenExits() throws Exception {
        long big = 64L << 20;
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("d.cfg"), config("roundrobin", a))) {
            int port = relay.listenPort;
            Socket s = relay.open("BODY " + big);
            InputStream in = s.getInputStream();
            assertEquals("a", RelayProcess.readLine(in));
            byte[] some = in.readNBytes(1 << 20); // in flight, most of it not read yet
            relay.signal("TERM");
            relay.awaitLog("draining", 10_000);
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "no longer accepting");
            var digest = RawHttp.sha256();
            digest.update(some);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                Thread.sleep(0, 1);
                digest.update(buf, 0, n);
            }
            assertEquals(RawHttp.sha256Of(BodyPattern.stream(big)), java.util.HexFormat.of().formatHex(digest.digest()),
                    "the body in flight is delivered whole");
            s.close();
            assertTrue(relay.process.waitFor(20, TimeUnit.SECONDS), "exits once drained");
        }
    }

    @Test
    void sigtermClosesWhatOutlivesTheGracePeriod() throws Exception {
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("g.cfg"),
                     config("roundrobin", a).replace("grace 20s", "grace 1s"))) {
            Socket held = relay.open("HOLD");
            assertEquals("a", RelayProcess.readLine(held.getInputStream()));
            long t0 = System.nanoTime();
            relay.signal("TERM");
            assertTrue(relay.process.waitFor(15, TimeUnit.SECONDS), "exits after the grace period");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900), "waited for the grace period");
            assertEquals(-1, held.getInputStream().read(), "the held connection is closed");
            assertTrue(relay.logText().contains("grace period over"), relay.logText());
            held.close();
        }
    }
}
