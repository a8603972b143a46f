package dev.l7splice.relay;

import java.util.ArrayList;
import java.util.List;

/** The sidecar's command line. Every option is in {@link #USAGE}; a bad one is an IllegalArgumentException. */
final class RelayOptions {

    static final String USAGE = String.join("\n",
            "usage: java -jar l7relay.jar --handoff-socket PATH [options]",
            "",
            "Completes bodies handed off by l7agent.jar (offload=sidecar) with splice(2).",
            "",
            "  --handoff-socket PATH     Unix socket the agent connects to (required). Created with mode 0600;",
            "                            a stale socket file at PATH is replaced.",
            "  --socket-group GROUP      also let this group connect (mode 0660, group GROUP)",
            "  --allow-uid UID           also accept agents running as UID (repeatable; default: own uid only,",
            "                            checked with SO_PEERCRED on every connection)",
            "  --threads N               relay event loops, 1..64 (default 1)",
            "  --max-transfers N         transfers in flight before new ones are refused; the agent then",
            "                            completes them itself (default 10000)",
            "  --pipes-max N             pipes open at once, 1..1000000 (default 256); transfers wait for one",
            "  --pipe-size BYTES         pipe capacity requested with F_SETPIPE_SZ (default 1048576, capped by",
            "                            /proc/sys/fs/pipe-max-size)",
            "  --idle-timeout-ms MS      a transfer that moves nothing this long fails, 0 = never (default 120000)",
            "  --admin HOST:PORT         admin HTTP endpoint: /ready, /stats, /metrics (loopback by default:",
            "                            use 127.0.0.1:PORT; off when not given)",
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
    boolean help;

    static RelayOptions parse(String[] args) {
        RelayOptions o = new RelayOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                o.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--handoff-socket": o.socketPath = v; break;
                case "--socket-group": o.socketGroup = v; break;
                case "--allow-uid": o.allowedUids.add(number(a, v, 0, 0xffffffffL)); break;
                case "--threads": o.threads = (int) number(a, v, 1, 64); break;
                case "--max-transfers": o.maxTransfers = (int) number(a, v, 1, 1_000_000); break;
                case "--pipes-max": o.pipesMax = (int) number(a, v, 1, 1_000_000); break;
                case "--pipe-size": o.pipeSize = (int) number(a, v, 4096, 1 << 30); break;
                case "--idle-timeout-ms": o.idleTimeoutMillis = number(a, v, 0, Long.MAX_VALUE); break;
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
        if (!o.help && o.socketPath == null) {
            throw new IllegalArgumentException("--handoff-socket is required");
        }
        return o;
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
}
