package dev.l7splice.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigParserErrorsTest {

    private static final String MIN = "listen web\n bind 127.0.0.1:8080\n server a 10.0.0.1:80\n";

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("relay.cfg");
        Files.writeString(f, text);
        return f;
    }

    private RelayConfig parse(String text) throws Exception {
        return ConfigParser.parse(write(text));
    }

    /**
     * The message of the problem at {@code line} with {@code keyword} (the file may have others),
     * checked to be exactly one line starting with FILE:LINE: 'KEYWORD': .
     */
    private String error(String text, int line, String keyword) throws IOException {
        Path f = write(text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(f));
        String prefix = f + ":" + line + ": '" + keyword + "': ";
        ConfigException found = e.all().stream().filter(p -> p.getMessage().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + e.all()));
        assertFalse(found.getMessage().contains("\n"), found.getMessage());
        assertEquals(line, found.line());
        assertEquals(keyword, found.keyword());
        return found.getMessage().substring(prefix.length());
    }

    @Test
    void minimalListenGetsTheDefaults() throws Exception {
        RelayConfig c = parse("# a comment\n\n" + MIN);
        ProxySection p = c.proxies().get(0);
        assertEquals("web", p.name());
        assertEquals(java.util.List.of(new HostPort("127.0.0.1", 8080)), p.binds());
        assertEquals("roundrobin", p.balance());
        assertEquals(new RelayConfig.Timeouts(5000, 0, 0, 0, 5000, 0), p.timeouts());
        assertEquals(3, p.retries());
        assertEquals(0, p.maxQueue());
        assertNull(p.httpCheck());
        assertEquals(new ServerSpec("a", new HostPort("10.0.0.1", 80), 1, false, 2000, 2, 3, 0, 0, 0, false, 5),
                p.servers().get(0));
        assertEquals(3, p.line());
        RelayConfig.Global g = c.global();
        assertEquals(new RelayConfig.Global(1, 256, 1 << 20, 10_000, null, null, java.util.List.of(), null,
                120_000, 10_000, null, false, null), g);
    }

    @Test
    void everyKeywordIsRead() throws Exception {
        RelayConfig c = parse(String.join("\n",
                "global",
                "  threads 4", "  pipes-max 1000", "  pipe-size 256k", "  max-transfers 500",
                "  handoff-socket /run/l7/r.sock", "  socket-group app", "  allow-uid 1000", "  allow-uid 1001",
                "  admin [::1]:9990", "  idle-timeout 0", "  grace 1m", "  admin-token-file /run/l7/admin.token",
                "  admin-socket /run/l7/admin.sock",
                "defaults",
                "  balance source", "  timeout connect 2s", "  timeout client 1h", "  timeout server 1d",
                "  timeout tunnel 30m", "  timeout check 1500", "  retries 0", "  maxqueue 10",
                "  option httpchk HEAD /ping", "  http-check expect status 204",
                "  default-server weight 3 check inter 5s rise 1 fall 9 maxconn 7 slowstart 1m send-proxy",
                "listen web",
                "  bind 0.0.0.0:80 # trailing comment", "  bind [::]:80",
                "  server a 10.0.0.1:80", "  server b [fd00::2]:81 weight 0 send-proxy-v2 disabled",
                "pool origin",
                "  route origin.Internal:8080", "  route 10.1.1.1:80",
                "  balance first", "  timeout queue 0",
                "  server o1 10.0.1.1:8080"));
        RelayConfig.Global g = c.global();
        assertEquals(new RelayConfig.Global(4, 1000, 256 * 1024, 500, "/run/l7/r.sock", "app",
                java.util.List.of(1000L, 1001L), new HostPort("::1", 9990), 0, 60_000, "/run/l7/admin.token", false,
                "/run/l7/admin.sock"), g);
        ProxySection web = c.proxies().get(0);
        assertEquals("source", web.balance());
        assertEquals(new RelayConfig.Timeouts(2000, 3_600_000, 86_400_000, 1_800_000, 2000, 1500), web.timeouts());
        assertEquals(0, web.retries());
        assertEquals(10, web.maxQueue());
        assertEquals(new RelayConfig.HttpCheck("HEAD", "/ping", 204), web.httpCheck());
        assertEquals(new ServerSpec("a", new HostPort("10.0.0.1", 80), 3, true, 5000, 1, 9, 7, 60_000, 1, false, 30),
                web.servers().get(0));
        assertEquals(new ServerSpec("b", new HostPort("fd00::2", 81), 0, true, 5000, 1, 9, 7, 60_000, 2, true, 31),
                web.servers().get(1));
        assertTrue(web.isListen());
        ProxySection origin = c.proxies().get(1);
        assertFalse(origin.isListen());
        assertEquals(java.util.List.of(new HostPort("origin.internal", 8080), new HostPort("10.1.1.1", 80)),
                origin.routes());
        assertEquals("first", origin.balance());
        assertEquals(0, origin.timeouts().queue());
        assertEquals(1500, origin.timeouts().checkTimeout(origin.servers().get(0)));
    }

    @Test
    void defaultsApplyToLaterSectionsAndANewDefaultsStartsOver() throws Exception {
        RelayConfig c = parse("defaults\n balance leastconn\n timeout connect 1s\n default-server maxconn 5\n"
                + MIN + "defaults\n retries 1\nlisten b\n bind 127.0.0.1:8081\n server a 10.0.0.1:80 maxconn 6\n");
        ProxySection a = c.proxies().get(0);
        ProxySection b = c.proxies().get(1);
        assertEquals("leastconn", a.balance());
        assertEquals(1000, a.timeouts().queue());
        assertEquals(5, a.servers().get(0).maxConn());
        assertEquals("roundrobin", b.balance());
        assertEquals(5000, b.timeouts().connect());
        assertEquals(1, b.retries());
        assertEquals(6, b.servers().get(0).maxConn());
        assertEquals(2000, b.timeouts().checkTimeout(b.servers().get(0)));
    }

    @Test
    void handoffSocketAloneIsEnough() throws Exception {
        RelayConfig c = parse("global\n handoff-socket /tmp/x.sock\n");
        assertTrue(c.proxies().isEmpty());
        assertEquals(c.global().handoffSocket(), "/tmp/x.sock");
    }

    @Test
    void theDeployExampleParsesAndSummarisesOneLinePerSection() throws Exception {
        RelayConfig c = ConfigParser.parse(Path.of("../deploy/l7relay.cfg"));
        ProxySection web = c.proxies().get(0);
        assertEquals("leastconn", web.balance());
        assertEquals(3, web.servers().size());
        assertTrue(web.servers().stream().allMatch(s -> s.check() && s.slowstartMs() > 0 && s.maxConn() > 0));
        assertEquals(200, web.maxQueue());
        assertEquals("/health", web.httpCheck().path());
        assertFalse(c.proxies().get(1).isListen());
        assertFalse(c.proxies().get(1).routes().isEmpty());
        String summary = c.describe();
        assertEquals(1 + c.proxies().size(), summary.lines().count(), summary);
        assertTrue(summary.startsWith("global: threads 2, pipes-max 256, pipe-size 1m"), summary);
        assertTrue(summary.contains("listen web: bind 127.0.0.1:8080, balance leastconn"), summary);
        assertTrue(summary.contains("pool origins: route 127.0.0.1:9000"), summary);
    }

    @Test
    void unknownKeywordSuggestsTheClosest() throws Exception {
        assertTrue(error(MIN + " severs x", 4, "severs").startsWith("unknown keyword (did you mean 'server'?)"));
        assertEquals("unknown keyword (use 'listen NAME' with bind and server lines, or 'pool NAME' for route hand-off)",
                error("frontend x\n", 1, "frontend"));
        assertEquals("unknown keyword", error(MIN + " zzzzzzzzzz 1", 4, "zzzzzzzzzz"));
    }

    @Test
    void keywordInTheWrongSection() throws Exception {
        assertEquals("not allowed in a pool section (allowed in: listen)",
                error("global\n handoff-socket /s\npool p\n bind 127.0.0.1:1\n", 4, "bind"));
        assertEquals("not allowed in a global section (allowed in: listen, pool)",
                error("global\n server a 10.0.0.1:80\n", 2, "server"));
        assertTrue(error("defaults\n server a 10.0.0.1:80\n", 2, "server").contains("use default-server here"));
        assertEquals("not allowed in a listen section (allowed in: pool)", error(MIN + " route a.b:1\n", 4, "route"));
        assertEquals("not allowed in a listen section (allowed in: global)", error(MIN + " threads 2\n", 4, "threads"));
    }

    @Test
    void statementBeforeAnySection() throws Exception {
        assertTrue(error("threads 2\n" + MIN, 1, "threads").startsWith("before any section"));
    }

    @Test
    void missingAndExtraArguments() throws Exception {
        assertEquals("missing argument (expected: threads N (1..64))", error("global\n threads\n", 2, "threads"));
        assertEquals("extra argument '3' (expected: threads N (1..64))", error("global\n threads 2 3\n", 2, "threads"));
        assertEquals("missing argument (expected: server NAME HOST:PORT [OPTION...])",
                error("listen a\n bind 127.0.0.1:1\n server x\n", 3, "server"));
        assertEquals("missing argument (expected: listen NAME)", error("listen\n", 1, "listen"));
        assertTrue(error(MIN.replace("10.0.0.1:80", "10.0.0.1:80 weight"), 3, "server")
                .startsWith("missing argument: weight needs N"));
        assertTrue(error("global x\n", 1, "global").startsWith("extra argument 'x'"));
    }

    @Test
    void badNumbersDurationsAndSizes() throws Exception {
        assertEquals("'abc' is not a number (expected 1..64)", error("global\n threads abc\n", 2, "threads"));
        assertEquals("65 is out of range (expected 1..64)", error("global\n threads 65\n", 2, "threads"));
        assertEquals("-1 is out of range (expected 0..100)".replace("-1 is out of range", "'-1' is not a number"),
                error(MIN + " retries -1\n", 4, "retries"));
        assertTrue(error("global\n grace 5x\n", 2, "grace").startsWith("'5x' is not a duration"));
        assertTrue(error("global\n grace 25d\n", 2, "grace").startsWith("25d is out of range (expected 0..24d)"));
        assertTrue(error("global\n grace 99999999999999999999s\n", 2, "grace").contains("out of range"));
        assertTrue(error(MIN + " timeout connect 1.5s\n", 4, "timeout").startsWith("connect '1.5s' is not a duration"));
        assertTrue(error("global\n pipe-size 1t\n", 2, "pipe-size").startsWith("'1t' is not a size"));
        assertEquals("2g is out of range (expected 4k..1g)", error("global\n pipe-size 2g\n", 2, "pipe-size"));
        assertEquals("1k is out of range (expected 4k..1g)", error("global\n pipe-size 1k\n", 2, "pipe-size"));
        assertEquals("weight 257 is out of range (expected 0..256)",
                error(MIN.replace("10.0.0.1:80", "10.0.0.1:80 weight 257"), 3, "server"));
        assertEquals("inter 5ms is out of range (expected 10ms..24d)",
                error(MIN.replace("10.0.0.1:80", "10.0.0.1:80 inter 5ms"), 3, "server"));
        assertEquals("status 600 is out of range (expected 100..599)",
                error(MIN + " option httpchk /\n http-check expect status 600\n", 5, "http-check"));
    }

    @Test
    void badAddresses() throws Exception {
        assertTrue(error("listen a\n bind localhost:80\n", 2, "bind").startsWith("'localhost' is not a numeric address"));
        assertTrue(error("listen a\n bind 127.0.0.1\n", 2, "bind").startsWith("missing port in '127.0.0.1'"));
        assertTrue(error("listen a\n bind [::g]:80\n", 2, "bind").startsWith("'::g' is not a valid IPv6 address"));
        assertTrue(error("listen a\n bind ::1:80\n", 2, "bind").contains("needs brackets"));
        assertTrue(error("listen a\n bind [::1]80\n", 2, "bind").startsWith("missing port"));
        assertTrue(error("listen a\n bind *:80\n", 2, "bind").contains("0.0.0.0:PORT"));
        assertEquals("port 65536 is out of range (expected 0..65535)", error("listen a\n bind 1.2.3.4:65536\n", 2, "bind"));
        assertTrue(error("listen a\n bind 256.1.1.1:80\n", 2, "bind").contains("not a numeric address"));
        assertTrue(error("listen a\n bind 1.2.3.4:1\n server s web1:80\n", 3, "server").contains("not a numeric"));
        assertEquals("port 0 is out of range (expected 1..65535)",
                error("listen a\n bind 1.2.3.4:1\n server s 1.2.3.4:0\n", 3, "server"));
        assertTrue(error("global\n handoff-socket /s\npool p\n route bad_name:80\n", 4, "route")
                .startsWith("'bad_name' is not a host name"));
    }

    @Test
    void duplicates() throws Exception {
        assertTrue(error(MIN + "pool web\n", 4, "pool").startsWith("duplicate section name 'web' (first at line 1"));
        assertTrue(error(MIN + " server a 10.0.0.2:80\n", 4, "server").startsWith("duplicate server name 'a'"));
        assertTrue(error(MIN + "listen b\n bind 127.0.0.1:8080\n server a 10.0.0.1:80\n", 5, "bind")
                .startsWith("duplicate bind address 127.0.0.1:8080 (already bound by listen web at line 2)"));
        assertTrue(error("listen a\n bind [::1]:1\n bind [0:0::1]:1\n server s 1.1.1.1:1\n", 3, "bind")
                .startsWith("duplicate bind address"));
        parse("listen a\n bind 127.0.0.1:0\n bind 127.0.0.1:0\n server s 1.1.1.1:1\n"); // port 0: any free port
        assertTrue(error("global\n handoff-socket /s\npool p\n route a.b:1\n server s 1.1.1.1:1\npool q\n"
                + " route A.B:1\n server s 1.1.1.1:1\n", 7, "route").startsWith("duplicate route a.b:1"));
    }

    @Test
    void sectionsNeedTheirBindsAndServers() throws Exception {
        assertTrue(error("listen a\n server s 1.1.1.1:1\n", 1, "listen").startsWith("a has no bind"));
        assertTrue(error("listen a\n bind 1.1.1.1:1\nlisten b\n bind 1.1.1.1:2\n server s 1.1.1.1:1\n", 1, "listen")
                .startsWith("a has no server"));
        assertTrue(error("global\n handoff-socket /s\npool p\n route a:1\n", 3, "pool").startsWith("p has no server"));
        assertTrue(error("pool p\n server s 1.1.1.1:1\n", 1, "pool").contains("expected handoff-socket PATH in global"));
    }

    @Test
    void balanceServerOptionsAndHttpCheck() throws Exception {
        assertEquals("unknown algorithm 'leastcon' (did you mean 'leastconn'?) (expected roundrobin, leastconn, random,"
                + " source, hash, first)", error(MIN + " balance leastcon\n", 4, "balance"));
        assertEquals("unknown hash key 'header(Host)' (expected src, uri, path or hdr(NAME))",
                error(MIN + " balance hash header(Host)\n", 4, "balance"));
        assertTrue(error(MIN + " balance leastconn uri\n", 4, "balance").startsWith("extra argument 'uri'"));
        assertTrue(error(MIN + " balance hash uri path\n", 4, "balance").startsWith("extra argument 'path'"));
        assertEquals("hash hdr(x-user)", parse(MIN + " balance hash hdr(X-User)\n").proxies().get(0).balance());
        assertEquals("hash", parse(MIN + " balance hash\n").proxies().get(0).balance());
        assertTrue(error(MIN.replace("10.0.0.1:80", "10.0.0.1:80 wieght 2"), 3, "server")
                .startsWith("unknown server option 'wieght' (did you mean 'weight'?)"));
        assertTrue(error("defaults\n default-server backup\n" + MIN, 2, "default-server")
                .startsWith("unknown server option 'backup'"));
        assertEquals("send-proxy and send-proxy-v2 together (choose one PROXY protocol version)",
                error(MIN.replace("10.0.0.1:80", "10.0.0.1:80 send-proxy send-proxy-v2"), 3, "server"));
        // a server line may override the default-server's version
        assertEquals(2, parse("defaults\n default-server send-proxy\n" + MIN.replace("10.0.0.1:80", "10.0.0.1:80 send-proxy-v2"))
                .proxies().get(0).servers().get(0).sendProxy());
        assertTrue(error(MIN + " http-check expect status 204\n", 4, "http-check").startsWith("needs 'option httpchk"));
        assertTrue(error("defaults\n http-check expect status 204\n" + MIN, 2, "http-check").startsWith("needs 'option"));
        parse("defaults\n http-check expect status 204\n" + MIN + " option httpchk /h\n");
        assertTrue(error(MIN + " option httpchk health\n", 4, "option").startsWith("'health' is not a path"));
        assertTrue(error(MIN + " option tcplog\n", 4, "option").startsWith("unknown option 'tcplog'"));
        assertTrue(error(MIN + " timeout conect 1s\n", 4, "timeout").startsWith("unknown timeout 'conect' (did you mean"));
        assertTrue(error(MIN + " http-check send meth GET\n", 4, "http-check").startsWith("unsupported form"));
    }

    @Test
    void adminCredentials() throws Exception {
        String admin = "global\n admin 127.0.0.1:9100\n";
        assertTrue(parse(admin + " admin-insecure-ops\n" + MIN).global().adminInsecureOps());
        assertTrue(parse("global\n admin [::1]:9100\n admin-insecure-ops\n" + MIN).global().adminInsecureOps());
        assertTrue(error("global\n admin 0.0.0.0:9100\n admin-insecure-ops\n" + MIN, 3, "admin-insecure-ops")
                .startsWith("admin 0.0.0.0:9100 is not a loopback address"));
        assertTrue(error(admin + " admin-insecure-ops\n admin-token-file /t\n" + MIN, 3, "admin-insecure-ops")
                .startsWith("together with admin-token-file"));
        assertTrue(error("global\n admin-token-file /t\n" + MIN, 2, "admin-token-file")
                .startsWith("there is no admin endpoint to protect"));
        assertTrue(error("global\n admin-insecure-ops\n" + MIN, 2, "admin-insecure-ops")
                .startsWith("there is no admin endpoint"));
        assertTrue(error(admin + " admin-insecure-ops yes\n" + MIN, 3, "admin-insecure-ops").startsWith("extra argument"));
        assertEquals("/t", parse("global\n admin 10.0.0.1:9100\n admin-token-file /t\n" + MIN).global().adminTokenFile());
    }

    @Test
    void unreadableEmptyOrPointlessFiles() throws Exception {
        Path missing = dir.resolve("nope.cfg");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(missing));
        assertEquals(missing + ":0: '--config': cannot read the file: no such file", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigParser.parse(dir));
        assertTrue(e.getMessage().startsWith(dir + ":0: '--config': cannot read the file"), e.getMessage());
        assertTrue(error("", 0, "listen").startsWith("nothing to do"));
        assertTrue(error("# only comments\nglobal\n threads 2\n", 0, "listen").startsWith("nothing to do"));
    }
}
