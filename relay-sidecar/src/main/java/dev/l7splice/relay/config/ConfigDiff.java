package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.Global;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes: sections and servers are matched by name (line numbers are ignored). Pure.
 *
 * @param globalChanges global keywords whose value differs (most need a restart to take effect)
 * @param sections      every section in both configurations, in the new file's order
 * @param added         sections only in the new configuration
 * @param removed       sections only in the old configuration
 */
public record ConfigDiff(List<String> globalChanges, List<SectionDiff> sections, List<ProxySection> added,
                         List<ProxySection> removed) {

    /**
     * A section in both configurations.
     *
     * @param bindsKept        same bind set (order ignored): its listen sockets stay open
     * @param settingsChanged  section keywords whose value differs: balance, timeout, retries, maxqueue,
     *                         option httpchk, route
     * @param changed          servers with the same name whose address, weight or options differ
     */
    public record SectionDiff(ProxySection before, ProxySection after, boolean bindsKept,
                              List<String> settingsChanged, List<ServerSpec> unchanged, List<ServerChange> changed,
                              List<ServerSpec> addedServers, List<ServerSpec> removedServers) {

        public boolean serversUnchanged() {
            return changed.isEmpty() && addedServers.isEmpty() && removedServers.isEmpty();
        }
    }

    /** @param what "address", "weight" and/or the option keywords that differ ("check", "inter", ...) */
    public record ServerChange(ServerSpec before, ServerSpec after, List<String> what) {
    }

    public static ConfigDiff between(RelayConfig before, RelayConfig after) {
        Map<String, ProxySection> old = byName(before.proxies());
        List<SectionDiff> both = new ArrayList<>();
        List<ProxySection> added = new ArrayList<>();
        for (ProxySection p : after.proxies()) {
            ProxySection o = old.remove(p.name());
            if (o == null) {
                added.add(p);
            } else {
                both.add(section(o, p));
            }
        }
        return new ConfigDiff(global(before.global(), after.global()), List.copyOf(both), List.copyOf(added),
                List.copyOf(old.values()));
    }

    /** True when nothing differs (a reload of the same file). */
    public boolean isEmpty() {
        return globalChanges.isEmpty() && added.isEmpty() && removed.isEmpty() && sections.stream().allMatch(
                s -> s.bindsKept() && s.settingsChanged().isEmpty() && s.serversUnchanged());
    }

    private static SectionDiff section(ProxySection o, ProxySection n) {
        List<String> settings = new ArrayList<>();
        differs(settings, "balance", o.balance(), n.balance());
        differs(settings, "timeout", o.timeouts(), n.timeouts());
        differs(settings, "retries", o.retries(), n.retries());
        differs(settings, "maxqueue", o.maxQueue(), n.maxQueue());
        differs(settings, "option httpchk", o.httpCheck(), n.httpCheck());
        differs(settings, "route", new HashSet<>(keys(o.routes())), new HashSet<>(keys(n.routes())));
        boolean bindsKept = new HashSet<>(keys(o.binds())).equals(new HashSet<>(keys(n.binds())));
        Map<String, ServerSpec> oldServers = new LinkedHashMap<>();
        for (ServerSpec s : o.servers()) {
            oldServers.put(s.name(), s);
        }
        List<ServerSpec> same = new ArrayList<>();
        List<ServerChange> changed = new ArrayList<>();
        List<ServerSpec> addedServers = new ArrayList<>();
        for (ServerSpec s : n.servers()) {
            ServerSpec before = oldServers.remove(s.name());
            if (before == null) {
                addedServers.add(s);
                continue;
            }
            List<String> what = server(before, s);
            if (what.isEmpty()) {
                same.add(s);
            } else {
                changed.add(new ServerChange(before, s, List.copyOf(what)));
            }
        }
        return new SectionDiff(o, n, bindsKept, List.copyOf(settings), List.copyOf(same), List.copyOf(changed),
                List.copyOf(addedServers), List.copyOf(oldServers.values()));
    }

    private static List<String> server(ServerSpec o, ServerSpec n) {
        List<String> what = new ArrayList<>();
        differs(what, "address", keys(List.of(o.address())), keys(List.of(n.address())));
        differs(what, "weight", o.weight(), n.weight());
        differs(what, "check", o.check(), n.check());
        differs(what, "inter", o.interMs(), n.interMs());
        differs(what, "rise", o.rise(), n.rise());
        differs(what, "fall", o.fall(), n.fall());
        differs(what, "maxconn", o.maxConn(), n.maxConn());
        differs(what, "slowstart", o.slowstartMs(), n.slowstartMs());
        differs(what, "send-proxy", o.sendProxy(), n.sendProxy());
        differs(what, "disabled", o.disabled(), n.disabled());
        return what;
    }

    private static List<String> global(Global o, Global n) {
        List<String> what = new ArrayList<>();
        differs(what, "threads", o.threads(), n.threads());
        differs(what, "pipes-max", o.pipesMax(), n.pipesMax());
        differs(what, "pipe-size", o.pipeSize(), n.pipeSize());
        differs(what, "max-transfers", o.maxTransfers(), n.maxTransfers());
        differs(what, "handoff-socket", o.handoffSocket(), n.handoffSocket());
        differs(what, "socket-group", o.socketGroup(), n.socketGroup());
        differs(what, "allow-uid", new HashSet<>(o.allowedUids()), new HashSet<>(n.allowedUids()));
        differs(what, "admin", o.admin(), n.admin());
        differs(what, "idle-timeout", o.idleTimeoutMillis(), n.idleTimeoutMillis());
        differs(what, "grace", o.graceMillis(), n.graceMillis());
        differs(what, "admin-token-file", o.adminTokenFile(), n.adminTokenFile());
        differs(what, "admin-insecure-ops", o.adminInsecureOps(), n.adminInsecureOps());
        differs(what, "admin-socket", o.adminSocket(), n.adminSocket());
        return what;
    }

    private static void differs(List<String> into, String keyword, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            into.add(keyword);
        }
    }

    private static List<String> keys(List<HostPort> addresses) {
        List<String> keys = new ArrayList<>();
        for (HostPort hp : addresses) {
            keys.add(Addresses.key(hp));
        }
        return keys;
    }

    private static Map<String, ProxySection> byName(List<ProxySection> proxies) {
        Map<String, ProxySection> m = new LinkedHashMap<>();
        for (ProxySection p : proxies) {
            m.put(p.name(), p);
        }
        return m;
    }
}
