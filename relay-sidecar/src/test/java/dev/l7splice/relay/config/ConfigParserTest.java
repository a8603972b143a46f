package dev.l7splice.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every keyword's value reaches the model; every kind of error names the file, the line and the keyword. */
@Timeout(10)
class ConfigParserTest {

    @TempDir
    Path dir;

    private RelayConfig parse(String text) throws Exception {
        Path f = dir.resolve("relay.cfg");
        Files.writeString(f, text);
        return ConfigParser.parse(f);
    }

    /** The one-line message for a bad file, with the temp path replaced by F. */
    private String error(String text) throws Exception {
        Path f = dir.resolve("bad.cfg");
        Files.writeString(f, text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(f));
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().replace(f.toString(), "F");
    }

    @Test
    void everySettingReachesTheModel() throws Exception {
        RelayConfig c = parse(String.join("\n",
                "# comment", "global", "    threads 2", "    pipes-max 64", "    pipe-size 256k", "    max-transfers 500",
                "    handoff-socket /tmp/r.sock", "    allow-uid 1000", "    admin 127.0.0.1:9100",
                "    idle-timeout 30s", "    grace 2m",
                "defaults", "    balance leastconn", "    timeout connect 2s", "    timeout tunnel 1h",
                "    retries 1", "    maxqueue 10", "    default-server check inter 500ms",
                "listen web   # trailing comment", "    bind 127.0.0.1:8080", "    bind [::1]:8080",
                "    option httpchk HEAD /health", "    http-check expect status 204",
                "    server a 127.0.0.1:9001 weight 3 maxconn 100 slowstart 10s send-proxy-v2",
                "    server b 127.0.0.1:9002 rise 1 fall 2 disabled",
                "pool origins", "    route 127.0.0.1:9000", "    route origin.internal:8080",
                "    balance first", "    server o1 10.0.0.1:80", ""));
        assertEquals(2, c.global().threads());
        assertEquals(64, c.global().pipesMax());
        assertEquals(256 * 1024, c.global().pipeSize());
        assertEquals(500, c.global().maxTransfers());
        assertEquals("/tmp/r.sock", c.global().handoffSocket());
        assertEquals(List.of(1000L), c.global().allowedUids());
        assertEquals(9100, c.global().admin().port());
        assertEquals(30_000, c.global().idleTimeoutMillis());
        assertEquals(120_000, c.global().graceMillis());
        ProxySection web = c.proxies().get(0);
        assertEquals("web", web.name());
        assertEquals(2, web.binds().size());
        assertEquals("::1", web.binds().get(1).host());
        assertEquals("leastconn", web.balance());
        assertEquals(2000, web.timeouts().connect());
        assertEquals(3_600_000, web.timeouts().tunnel());
        assertEquals(2000, web.timeouts().queue(), "queue defaults to connect");
        assertEquals(1, web.retries());
        assertEquals(10, web.maxQueue());
        assertEquals("HEAD", web.httpCheck().method());
        assertEquals("/health", web.httpCheck().path());
        assertEquals(204, web.httpCheck().expectStatus());
        ServerSpec a = web.servers().get(0);
        assertEquals(3, a.weight());
        assertTrue(a.check(), "from default-server");
        assertEquals(500, a.interMs());
        assertEquals(100, a.maxConn());
        assertEquals(10_000, a.slowstartMs());
        assertEquals(2, a.sendProxy());
        ServerSpec b = web.servers().get(1);
        assertEquals(1, b.rise());
        assertEquals(2, b.fall());
        assertTrue(b.disabled());
        assertEquals(0, b.sendProxy());
        ProxySection pool = c.proxies().get(1);
        assertTrue(pool.binds().isEmpty());
        assertEquals("origin.internal", pool.routes().get(1).host());
        assertEquals("first", pool.balance());
        assertNull(pool.httpCheck());
        assertTrue(c.describe().contains("web"), c.describe());
    }

    @Test
    void defaultsAreHaproxysWhereTheyApply() throws Exception {
        RelayConfig c = parse("listen web\n bind 127.0.0.1:0\n server a 127.0.0.1:1\n");
        ProxySection p = c.proxies().get(0);
        assertEquals("roundrobin", p.balance());
        assertEquals(5000, p.timeouts().connect());
        assertEquals(3, p.retries());
        assertEquals(0, p.maxQueue());
        ServerSpec s = p.servers().get(0);
        assertEquals(1, s.weight());
        assertEquals(2000, s.interMs());
        assertEquals(2, s.rise());
        assertEquals(3, s.fall());
        assertEquals(1, c.global().threads());
        assertEquals(10_000, c.global().graceMillis());
    }

    @Test
    void eachKindOfErrorNamesTheLineAndTheKeyword() throws Exception {
        String ok = "listen web\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1\n";
        assertTrue(error("listen web\n    bind 127.0.0.1:0\n    balanse leastconn\n    server a 127.0.0.1:1\n")
                .startsWith("F:3: 'balanse': unknown keyword (did you mean 'balance'?)"));
        assertTrue(error("    bind 127.0.0.1:0\n").startsWith("F:1: 'bind': before any section"));
        assertTrue(error("global\n    bind 127.0.0.1:0\n").startsWith("F:2: 'bind'"));
        assertTrue(error("global\n    handoff-socket /s\npool p\n    bind 127.0.0.1:0\n    server a 127.0.0.1:1\n")
                .startsWith("F:4: 'bind'"));
        assertTrue(error(ok + "    route 127.0.0.1:9\n").startsWith("F:4: 'route'"));
        assertTrue(error("global\n    threads\n").startsWith("F:2: 'threads'"), "missing argument");
        assertTrue(error("global\n    threads 2 3\n").startsWith("F:2: 'threads'"), "extra argument");
        assertTrue(error("global\n    threads two\n").startsWith("F:2: 'threads'"), "not a number");
        assertTrue(error("global\n    threads 65\n").startsWith("F:2: 'threads'"), "out of range");
        assertTrue(error("global\n    grace 5x\n").startsWith("F:2: 'grace'"), "bad duration");
        assertTrue(error("global\n    pipe-size 1t\n").startsWith("F:2: 'pipe-size'"), "bad size");
        assertTrue(error("listen web\n    bind localhost:80\n    server a 127.0.0.1:1\n").startsWith("F:2: 'bind'"), "numeric hosts only");
        assertTrue(error("listen web\n    bind 127.0.0.1\n    server a 127.0.0.1:1\n").startsWith("F:2: 'bind'"), "missing port");
        assertTrue(error("listen web\n    bind [::1:80\n    server a 127.0.0.1:1\n").startsWith("F:2: 'bind'"), "bad IPv6");
        assertTrue(error(ok + ok.replace("0\n", "1\n")).startsWith("F:4: 'listen'"), "duplicate section");
        assertTrue(error(ok + "    server a 127.0.0.1:2\n").startsWith("F:4: 'server'"), "duplicate server");
        assertTrue(error(ok.replace(":0", ":81") + ok.replace(":0", ":81").replace("web", "api"))
                .startsWith("F:5: 'bind'"), "a bind used twice");
        assertTrue(error("listen web\n    server a 127.0.0.1:1\n").startsWith("F:1: 'listen'"), "no bind");
        assertTrue(error("listen web\n    bind 127.0.0.1:0\n").startsWith("F:1: 'listen'"), "no server");
        assertTrue(error(ok + "    balance fastest\n").startsWith("F:4: 'balance'"));
        assertTrue(error(ok + "    server b 127.0.0.1:2 colour blue\n").startsWith("F:4: 'server'"), "server option");
        assertTrue(error(ok + "    server b 127.0.0.1:2 weight 257\n").startsWith("F:4: 'server'"), "weight range");
        assertTrue(error(ok + "    server b 127.0.0.1:2 send-proxy send-proxy-v2\n").startsWith("F:4: 'server'"));
        assertTrue(error(ok + "    http-check expect status 200\n").contains("'http-check'"), "without httpchk");
        assertTrue(error(ok + "    option httpchk health\n").startsWith("F:4: 'option'"), "path without /");
        assertTrue(error(ok + "    timeout forever 1s\n").startsWith("F:4: 'timeout'"));
        assertTrue(error("# nothing\n").contains("nothing to do") || error("# nothing\n").startsWith("F:"),
                "an empty file is an error");
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigParser.parse(dir.resolve("nope.cfg")));
        assertTrue(missing.getMessage().contains("nope.cfg") && missing.getMessage().contains("no such file"));
    }

    @Test
    void theShippedExampleParses() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/l7relay.cfg");
        RelayConfig c = ConfigParser.parse(example);
        assertTrue(c.proxies().size() >= 2, c.describe());
    }
}
