package dev.l7splice.relay;

import dev.l7splice.relay.config.RelayConfig;
import java.util.ArrayList;
import java.util.List;

/** The sidecar's command line. Every option is in {@link #USAGE}; a bad one is an IllegalArgumentException. */
public final class RelayOptions {

    static final String USAGE = String.join("\n",
            "usage: java -jar l7relay.jar --handoff-socket PATH [options]",
            "       java -jar l7relay.jar --listen HOST:PORT --server HOST:PORT[:WEIGHT]... [balancing options]",
            "",
            "Completes bodies handed off by l7agent.jar (offload=sidecar) with splice(2), and/or balances",
            "TCP connections across servers on its own, moving every byte with splice(2).",
            "",
            "  --handoff-socket PATH     Unix socket the agent connects to (required). Created with mode 0600;",
            "                            a stale socket file at PATH is replaced.",
            "  --socket-group GROUP      also let this group connect (mode 0660, group GROUP)",
            "  --allow-uid UID           also accept agents running as UID (repeatable; default: own uid only,",
            "                            checked with SO_PEERCRED on every connection)",
            "  --threads N               relay event loops, 1..64 (default 1)",
            "  --max-transfers N         transfers in flight before new ones are refused; the agent then",
            "                            completes them itself (default 10000)",
            "  --pipes-max N             pipes open at once, 1..1000000 (default 256); beyond it a transfer",
            "                            copies its next chunk through a 64 KiB buffer instead",
            "  --pipe-size BYTES         pipe capacity requested with F_SETPIPE_SZ (default 1048576, capped by",
            "                            /proc/sys/fs/pipe-max-size)",
            "  --idle-timeout-ms MS      a transfer that moves nothing this long fails, 0 = never (default 120000)",
            "  --admin HOST:PORT         admin HTTP endpoint: /, /ready, /stats, /metrics (loopback by default:",
            "                            use 127.0.0.1:PORT; off when not given)",
            "  --admin-token-file PATH   the server operations (POST /servers/...) need the token in PATH, sent as",
            "                            'Authorization: Bearer TOKEN'; without it (or the next) they are refused",
            "  --admin-insecure-ops      allow the server operations without a token (only with --admin on",
            "                            loopback: then any local user may drain or stop servers)",
            "  --admin-socket PATH       the admin endpoint on a Unix socket too (mode 0600; the relay's own uid",
            "                            and root only), where every operation runs without a token:",
            "                            curl --unix-socket PATH -XPOST 'http://l7relay/servers/POOL/SERVER?state=drain'",
            "",
            "Standalone balancer (like HAProxy in mode tcp):",
            "  --listen HOST:PORT        accept clients here (numeric address; port 0 = any, printed on READY)",
            "  --server HOST:PORT[:W]    a server of the pool, weight W 0..256 (default 1); repeatable",
            "  --balance ALG             roundrobin (default, smooth weighted), leastconn, random (two",
            "                            choices), source or hash (client address, consistent hash), first",
            "  --check tcp               active TCP connect check of every server",
            "  --inter MS                time between checks (default 2000)",
            "  --rise N / --fall N       checks in a row to go up / down (default 2 / 3); --fall also",
            "                            counts consecutive failed client connects (passive check)",
            "  --connect-timeout-ms MS   per connect to a server (default 5000)",
            "  --retries N               other servers tried after a failed connect, before any byte",
            "                            was sent (default 3)",
            "  --send-proxy 1|2          send a PROXY protocol v1 (text) or v2 (binary) header to every",
            "                            server first, with the client's real address",
            "",
            "Configuration file (instead of the options above; see docs/configuration.md):",
            "  --config FILE             read every setting from FILE; SIGHUP re-reads it",
            "  --check-config            with --config: check the file, print a summary (or every problem, one",
            "                            line each, on stderr), exit (0 good, 2 bad)",
            "",
            "  --help                    this text");

    String socketPath;
    String socketGroup;
    final List<Long> allowedUids = new ArrayList<>();
    int threads = 1;
    int maxTransfers = 10_000;
    int pipesMax = 256;
    int pipeSize = 1 << 20;
    long idleTimeoutMillis = 120_000;
    String adminHost;
    int adminPort = -1;
    String adminTokenFile;
    boolean adminInsecureOps;
    String adminSocket;
    boolean help;
    String configFile;
    boolean checkConfig;
    String listenHost;
    int listenPort = -1;
    final List<String[]> servers = new ArrayList<>();
    String balance = "roundrobin";
    boolean checkTcp;
    int inter = 2000;
    int rise = 2;
    int fall = 3;
    int connectTimeoutMillis = 5000;
    int retries = 3;
    int sendProxy;

    public static RelayOptions parse(String[] args) {
        RelayOptions o = new RelayOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                o.help = true;
                continue;
            }
            if (a.equals("--check-config")) {
                o.checkConfig = true;
                continue;
            }
            if (a.equals("--admin-insecure-ops")) {
                o.adminInsecureOps = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--config": o.configFile = v; break;
                case "--handoff-socket": o.socketPath = v; break;
                case "--socket-group": o.socketGroup = v; break;
                case "--allow-uid": o.allowedUids.add(number(a, v, 0, 0xffffffffL)); break;
                case "--threads": o.threads = (int) number(a, v, 1, 64); break;
                case "--max-transfers": o.maxTransfers = (int) number(a, v, 1, 1_000_000); break;
                case "--pipes-max": o.pipesMax = (int) number(a, v, 1, 1_000_000); break;
                case "--pipe-size": o.pipeSize = (int) number(a, v, 4096, 1 << 30); break;
                case "--idle-timeout-ms": o.idleTimeoutMillis = number(a, v, 0, Long.MAX_VALUE); break;
                case "--listen": {
                    String[] hp = hostPort(a, v);
                    o.listenHost = hp[0];
                    o.listenPort = (int) number(a, hp[1], 0, 65535);
                    break;
                }
                case "--server": {
                    String[] parts = v.split(":");
                    if (parts.length < 2 || parts.length > 3) {
                        throw new IllegalArgumentException("--server needs HOST:PORT[:WEIGHT], got " + v);
                    }
                    number(a, parts[1], 1, 65535);
                    if (parts.length == 3) {
                        number(a, parts[2], 0, 256);
                    }
                    o.servers.add(parts);
                    break;
                }
                case "--balance":
                    if (v.contains(" ")) {
                        throw new IllegalArgumentException("--balance takes one word, got '" + v
                                + "' (a listener has no request head; balance hash KEY belongs in a config file)");
                    }
                    dev.l7splice.relay.balance.Balancer.named(v); // validates the name
                    o.balance = v;
                    break;
                case "--check":
                    if (!v.equals("tcp")) {
                        throw new IllegalArgumentException("--check supports tcp, got " + v);
                    }
                    o.checkTcp = true;
                    break;
                case "--inter": o.inter = (int) number(a, v, 10, 3_600_000); break;
                case "--rise": o.rise = (int) number(a, v, 1, 100); break;
                case "--fall": o.fall = (int) number(a, v, 1, 100); break;
                case "--connect-timeout-ms": o.connectTimeoutMillis = (int) number(a, v, 1, 600_000); break;
                case "--retries": o.retries = (int) number(a, v, 0, 100); break;
                case "--send-proxy": o.sendProxy = (int) number(a, v, 1, 2); break;
                case "--admin-token-file": o.adminTokenFile = v; break;
                case "--admin-socket": o.adminSocket = v; break;
                case "--admin": {
                    int colon = v.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--admin needs HOST:PORT, got " + v);
                    }
                    o.adminHost = v.substring(0, colon);
                    o.adminPort = (int) number(a, v.substring(colon + 1), 0, 65535);
                    break;
                }
                default: throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.configFile != null) {
            if (args.length != (o.checkConfig ? 3 : 2)) {
                throw new IllegalArgumentException("--config takes no other options (only --check-config)");
            }
            return o;
        }
        if (o.checkConfig) {
            throw new IllegalArgumentException("--check-config needs --config FILE");
        }
        if (!o.help && o.socketPath == null && o.listenHost == null) {
            throw new IllegalArgumentException("--handoff-socket, --listen or --config is required");
        }
        o.checkAdminCredential();
        if (o.listenHost != null && o.servers.isEmpty()) {
            throw new IllegalArgumentException("--listen needs at least one --server");
        }
        return o;
    }

    /** The same rules as the file's admin-token-file and admin-insecure-ops (docs/configuration.md). */
    private void checkAdminCredential() {
        if ((adminTokenFile != null || adminInsecureOps) && adminPort < 0) {
            throw new IllegalArgumentException((adminTokenFile != null ? "--admin-token-file" : "--admin-insecure-ops")
                    + " needs --admin HOST:PORT");
        }
        if (adminInsecureOps && adminTokenFile != null) {
            throw new IllegalArgumentException("--admin-insecure-ops and --admin-token-file together (choose one)");
        }
        if (adminInsecureOps && !new RelayConfig.HostPort(adminHost, adminPort).isLoopback()) {
            throw new IllegalArgumentException("--admin-insecure-ops needs --admin on a loopback address, got "
                    + adminHost);
        }
    }

    private static String[] hostPort(String option, String v) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " needs HOST:PORT, got " + v);
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:8080
        }
        return new String[] {host, v.substring(colon + 1)};
    }

    private static long number(String option, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + v);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + v);
        }
        return n;
    }

    /** The same model a config file gives: flags describe at most one {@code listen default} section. */
    public RelayConfig toConfig() {
        RelayConfig.Global g = new RelayConfig.Global(threads, pipesMax, pipeSize, maxTransfers, socketPath,
                socketGroup, List.copyOf(allowedUids),
                adminPort < 0 ? null : new RelayConfig.HostPort(adminHost, adminPort), idleTimeoutMillis, 5000,
                adminTokenFile, adminInsecureOps, adminSocket);
        List<RelayConfig.ProxySection> proxies = new ArrayList<>();
        if (listenHost != null) {
            List<RelayConfig.ServerSpec> specs = new ArrayList<>();
            for (String[] s : servers) {
                int weight = s.length == 3 ? Integer.parseInt(s[2]) : 1;
                specs.add(new RelayConfig.ServerSpec(s[0] + ":" + s[1], new RelayConfig.HostPort(s[0],
                        Integer.parseInt(s[1])), weight, checkTcp, inter, rise, fall, 0, 0, sendProxy, false, 0));
            }
            RelayConfig.Timeouts t = new RelayConfig.Timeouts(connectTimeoutMillis, 0, 0, 0, 0, 0);
            proxies.add(new RelayConfig.ProxySection("default", List.of(new RelayConfig.HostPort(listenHost, listenPort)),
                    List.of(), balance, t, retries, null, 0, specs, 0));
        }
        return new RelayConfig("command line", g, proxies);
    }
}
