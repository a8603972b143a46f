package dev.l7splice.relay.config;

import java.util.List;

/**
 * The relay's whole configuration, as read from a file ({@code --config}) or built from the
 * command-line flags: one model, so both paths start the same runtime. Immutable; a reload builds
 * a new one and the runtime compares old and new.
 *
 * @param source  where it came from ("FILE" path or "command line"), for messages
 * @param global  process-wide settings
 * @param proxies the {@code listen} (bind + pool) and {@code pool} (route hand-off only) sections, in file order
 */
public record RelayConfig(String source, Global global, List<ProxySection> proxies) {

    /** One line per section ({@code global}, then each listen/pool), for {@code --check-config} and logs. */
    public String describe() {
        return ConfigSummary.describe(this);
    }

    /**
     * Process-wide settings ({@code global} section). Durations in milliseconds, 0 = none.
     *
     * @param adminTokenFile   file holding the token the admin endpoint's mutating operations need; null = none
     * @param adminInsecureOps mutating admin operations without a token (only with admin on loopback)
     * @param adminSocket      Unix socket for the admin endpoint (mode 0600, own uid and root); null = none
     */
    public record Global(int threads, int pipesMax, int pipeSize, int maxTransfers, String handoffSocket,
                         String socketGroup, List<Long> allowedUids, HostPort admin, long idleTimeoutMillis,
                         long graceMillis, String adminTokenFile, boolean adminInsecureOps, String adminSocket) {
    }

    /**
     * A numeric host (IPv4, or IPv6 without brackets) and a port. Only a pool's {@code route} may
     * hold a host name instead (lower case, never resolved by the parser).
     */
    public record HostPort(String host, int port) {

        /** 127.0.0.0/8, ::1 or "localhost" (the command line's --admin may name it): this host only. */
        public boolean isLoopback() {
            if (host.equals("localhost")) {
                return true;
            }
            if (host.indexOf(':') < 0) {
                return host.startsWith("127.");
            }
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress(); // a literal: never looked up
            } catch (java.net.UnknownHostException notALiteral) {
                return false;
            }
        }

        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /**
     * Timeouts in milliseconds; 0 = no timeout, except {@code check}: 0 = each server's {@code inter},
     * at most 2s (what the health check uses when {@code timeout check} is not set). {@code queue} is
     * connect's value unless set.
     */
    public record Timeouts(long connect, long client, long server, long tunnel, long queue, long check) {

        /** The time a check of {@code server} may take (the same rule as balance.HealthCheck). */
        public long checkTimeout(ServerSpec server) {
            return check > 0 ? check : Math.min(server.interMs(), 2000);
        }
    }

    /** {@code option httpchk [METHOD] PATH} and {@code http-check expect status CODE}. */
    public record HttpCheck(String method, String path, int expectStatus) {
    }

    /**
     * A {@code listen NAME} section (binds != empty) or a {@code pool NAME} section (binds empty;
     * reached by route hand-off, by name or through one of its {@code routes} addresses).
     *
     * @param balance   roundrobin, leastconn, random, source, hash or first
     * @param httpCheck null = TCP connect checks for servers with {@code check}
     * @param maxQueue  connections that may wait for a free server (all at maxconn); 0 = none wait
     * @param line      the section's line in the file (0 from the command line)
     */
    public record ProxySection(String name, List<HostPort> binds, List<HostPort> routes, String balance,
                               Timeouts timeouts, int retries, HttpCheck httpCheck, int maxQueue,
                               List<ServerSpec> servers, int line) {

        /** A {@code listen} section (it binds); false for a {@code pool}. */
        public boolean isListen() {
            return !binds.isEmpty();
        }
    }

    /**
     * One {@code server NAME HOST:PORT [options]} line.
     *
     * @param maxConn     0 = unlimited
     * @param slowstartMs 0 = full weight at once when the server comes back up
     * @param sendProxy   0 none, 1 PROXY v1 ({@code send-proxy}), 2 PROXY v2 ({@code send-proxy-v2})
     * @param disabled    starts in maintenance (admin can bring it up)
     */
    public record ServerSpec(String name, HostPort address, int weight, boolean check, long interMs, int rise,
                             int fall, int maxConn, long slowstartMs, int sendProxy, boolean disabled, int line) {
    }
}
