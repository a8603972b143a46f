package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.Global;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import dev.l7splice.relay.config.RelayConfig.Timeouts;
import java.util.ArrayList;
import java.util.List;

/** {@link RelayConfig#describe()}: one line per section, in the file's own words. */
final class ConfigSummary {

    private ConfigSummary() {
    }

    static String describe(RelayConfig c) {
        StringBuilder sb = new StringBuilder();
        sb.append(global(c.global()));
        for (ProxySection p : c.proxies()) {
            sb.append('\n').append(proxy(p));
        }
        return sb.toString();
    }

    private static String global(Global g) {
        List<String> parts = new ArrayList<>();
        parts.add("threads " + g.threads());
        parts.add("pipes-max " + g.pipesMax());
        parts.add("pipe-size " + Format.size(g.pipeSize()));
        parts.add("max-transfers " + g.maxTransfers());
        parts.add("handoff-socket " + (g.handoffSocket() == null ? "none" : g.handoffSocket()));
        if (g.socketGroup() != null) {
            parts.add("socket-group " + g.socketGroup());
        }
        for (Long uid : g.allowedUids()) {
            parts.add("allow-uid " + uid);
        }
        parts.add("admin " + (g.admin() == null ? "none" : g.admin()));
        if (g.adminTokenFile() != null) {
            parts.add("admin-token-file " + g.adminTokenFile());
        }
        if (g.adminSocket() != null) {
            parts.add("admin-socket " + g.adminSocket());
        }
        if (g.adminInsecureOps()) {
            parts.add("admin-insecure-ops");
        }
        parts.add("idle-timeout " + Format.duration(g.idleTimeoutMillis()));
        parts.add("grace " + Format.duration(g.graceMillis()));
        return "global: " + String.join(", ", parts);
    }

    private static String proxy(ProxySection p) {
        List<String> parts = new ArrayList<>();
        for (RelayConfig.HostPort b : p.binds()) {
            parts.add("bind " + b);
        }
        for (RelayConfig.HostPort r : p.routes()) {
            parts.add("route " + r);
        }
        parts.add("balance " + p.balance());
        Timeouts t = p.timeouts();
        parts.add("timeouts connect " + Format.duration(t.connect()) + " client " + Format.duration(t.client())
                + " server " + Format.duration(t.server()) + " tunnel " + Format.duration(t.tunnel())
                + " queue " + Format.duration(t.queue())
                + " check " + (t.check() == 0 ? "inter" : Format.duration(t.check())));
        parts.add("retries " + p.retries());
        parts.add("maxqueue " + p.maxQueue());
        if (p.httpCheck() != null) {
            parts.add("httpchk " + p.httpCheck().method() + " " + p.httpCheck().path() + " expect "
                    + p.httpCheck().expectStatus());
        }
        List<String> servers = new ArrayList<>();
        for (ServerSpec s : p.servers()) {
            servers.add(server(s));
        }
        parts.add(p.servers().size() + " server(s): " + String.join("; ", servers));
        return (p.binds().isEmpty() ? "pool " : "listen ") + p.name() + ": " + String.join(", ", parts);
    }

    private static String server(ServerSpec s) {
        StringBuilder sb = new StringBuilder(s.name()).append(' ').append(s.address()).append(" weight ")
                .append(s.weight());
        if (s.check()) {
            sb.append(" check inter ").append(Format.duration(s.interMs())).append(" rise ").append(s.rise())
                    .append(" fall ").append(s.fall());
        }
        if (s.maxConn() > 0) {
            sb.append(" maxconn ").append(s.maxConn());
        }
        if (s.slowstartMs() > 0) {
            sb.append(" slowstart ").append(Format.duration(s.slowstartMs()));
        }
        if (s.sendProxy() > 0) {
            sb.append(s.sendProxy() == 1 ? " send-proxy" : " send-proxy-v2");
        }
        if (s.disabled()) {
            sb.append(" disabled");
        }
        return sb.toString();
    }
}
