package dev.l7splice.relay.balancer;

import dev.l7splice.relay.balance.Balancer;
import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.check.HealthCheck;
import dev.l7splice.relay.check.Probe;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Frontend} from a section. On a reload, a server with the same name and address
 * as before is the same {@link Server} object (its connections, state and stats carry over); its
 * weight and options are updated in place through the old pool, so nothing is lost in between.
 */
final class FrontendFactory {

    private FrontendFactory() {
    }

    static Frontend build(ProxySection section, Frontend previous) {
        List<Server> servers = new ArrayList<>();
        Map<String, Integer> passiveFall = new HashMap<>();
        List<HealthCheck.Target> targets = new ArrayList<>();
        for (ServerSpec spec : section.servers()) {
            Server s = reuse(previous, spec);
            if (s == null) {
                s = new Server(spec.name(), spec.address().host(), spec.address().port(), spec.weight());
            } else if (s.configuredWeight() != spec.weight()) {
                previous.pool.setWeight(s, spec.weight());
            }
            s.options(new Server.Options(spec.maxConn(), spec.sendProxy(), spec.slowstartMs()));
            servers.add(s);
            passiveFall.put(spec.name(), spec.fall());
            if (spec.check()) {
                targets.add(new HealthCheck.Target(s, spec.interMs(), spec.rise(), spec.fall()));
            }
        }
        Pool pool = new Pool(section.name(), servers, Balancer.named(section.balance()), section.maxQueue());
        for (ServerSpec spec : section.servers()) {
            Server s = pool.server(spec.name());
            if (spec.disabled() && reuse(previous, spec) == null) {
                pool.setAdmin(s, Server.AdminState.MAINT);
            }
        }
        Probe probe = section.httpCheck() == null ? Probe.tcp()
                : Probe.http(section.httpCheck().method(), section.httpCheck().path(), section.httpCheck().expectStatus());
        HealthCheck check = new HealthCheck(pool, targets, probe, section.timeouts().check()).start();
        return new Frontend(section, pool, check, passiveFall);
    }

    private static Server reuse(Frontend previous, ServerSpec spec) {
        if (previous == null) {
            return null;
        }
        Server s = previous.pool.server(spec.name());
        return s != null && s.host.equals(spec.address().host()) && s.port == spec.address().port() ? s : null;
    }
}
