package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.Global;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import dev.l7splice.relay.config.RelayConfig.Timeouts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link RelayConfig} that the command-line flags describe, so that flags and a config
 * file start the same runtime. The flags were validated by the command-line parser already; this
 * only maps them: {@code --listen} and its {@code --server}s become one {@code listen default}
 * section whose servers are named HOST:PORT (as the flags-only relay named them). Setters return
 * {@code this}; defaults are the flags' defaults. Not thread-safe (build it on one thread).
 */
public final class FlagsConfig {

    /** Source name of a configuration built from flags. */
    public static final String SOURCE = "command line";

    private String handoffSocket;
    private String socketGroup;
    private final List<Long> allowedUids = new ArrayList<>();
    private int threads = 1;
    private int maxTransfers = 10_000;
    private int pipesMax = 256;
    private int pipeSize = 1 << 20;
    private long idleTimeoutMillis = 120_000;
    private HostPort admin;
    private HostPort listen;
    private final List<String[]> servers = new ArrayList<>();
    private String balance = "roundrobin";
    private boolean checkTcp;
    private long interMillis = 2000;
    private int rise = 2;
    private int fall = 3;
    private long connectTimeoutMillis = 5000;
    private int retries = 3;
    private int sendProxy;

    public FlagsConfig handoffSocket(String path) { handoffSocket = path; return this; }

    public FlagsConfig socketGroup(String group) { socketGroup = group; return this; }

    public FlagsConfig allowedUids(List<Long> uids) { allowedUids.addAll(uids); return this; }

    public FlagsConfig threads(int n) { threads = n; return this; }

    public FlagsConfig maxTransfers(int n) { maxTransfers = n; return this; }

    public FlagsConfig pipesMax(int n) { pipesMax = n; return this; }

    public FlagsConfig pipeSize(int bytes) { pipeSize = bytes; return this; }

    public FlagsConfig idleTimeoutMillis(long ms) { idleTimeoutMillis = ms; return this; }

    /** {@code --admin}; a null host or a port below 0 means not given. */
    public FlagsConfig admin(String host, int port) {
        admin = host == null || port < 0 ? null : new HostPort(host, port);
        return this;
    }

    /** {@code --listen}; a null host or a port below 0 means not given (no listen section). */
    public FlagsConfig listen(String host, int port) {
        listen = host == null || port < 0 ? null : new HostPort(host, port);
        return this;
    }

    /** The {@code --server} values as the command-line parser keeps them: {HOST, PORT} or {HOST, PORT, WEIGHT}. */
    public FlagsConfig servers(List<String[]> hostPortWeight) { servers.addAll(hostPortWeight); return this; }

    public FlagsConfig balance(String alg) { balance = alg; return this; }

    public FlagsConfig checkTcp(boolean on) { checkTcp = on; return this; }

    public FlagsConfig interMillis(long ms) { interMillis = ms; return this; }

    public FlagsConfig rise(int n) { rise = n; return this; }

    public FlagsConfig fall(int n) { fall = n; return this; }

    public FlagsConfig connectTimeoutMillis(long ms) { connectTimeoutMillis = ms; return this; }

    public FlagsConfig retries(int n) { retries = n; return this; }

    /** {@code --send-proxy}: 0 none, 1 or 2 (PROXY protocol version) on every server. */
    public FlagsConfig sendProxy(int version) { sendProxy = version; return this; }

    public RelayConfig build() {
        Global g = new Global(threads, pipesMax, pipeSize, maxTransfers, handoffSocket, socketGroup,
                List.copyOf(allowedUids), admin, idleTimeoutMillis, 10_000);
        if (listen == null) {
            return new RelayConfig(SOURCE, g, List.of());
        }
        List<ServerSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String[] s : servers) {
            HostPort address = new HostPort(s[0], Integer.parseInt(s[1]));
            int weight = s.length > 2 ? Integer.parseInt(s[2]) : 1;
            String name = address.toString();
            for (int n = 2; !names.add(name); n++) {
                name = address + "#" + n; // the same address twice: still two servers, as before
            }
            specs.add(new ServerSpec(name, address, weight, checkTcp, interMillis, rise, fall, 0, 0, sendProxy,
                    false, 0));
        }
        Timeouts t = new Timeouts(connectTimeoutMillis, 0, 0, 0, connectTimeoutMillis, 0);
        ProxySection p = new ProxySection("default", List.of(listen), List.of(), balance, t, retries, null, 0,
                List.copyOf(specs), 0);
        return new RelayConfig(SOURCE, g, List.of(p));
    }
}
