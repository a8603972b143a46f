package dev.l7splice.relay;

import dev.l7splice.relay.admin.AdminAccess;
import dev.l7splice.relay.admin.AdminPages;
import dev.l7splice.relay.admin.AdminServer;
import dev.l7splice.relay.admin.AdminSocket;
import dev.l7splice.relay.balancer.Balancing;
import dev.l7splice.relay.config.ConfigDiff;
import dev.l7splice.relay.config.ConfigException;
import dev.l7splice.relay.config.ConfigParser;
import dev.l7splice.relay.config.RelayConfig;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.handoff.HandoffServer;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Start, reload and drain of the relay process. Reload (SIGHUP, {@code --config} only): the file is
 * read again; a bad file is logged with its error and the running configuration stays; a good one
 * is applied to the balancer without dropping established connections or closing unchanged
 * listeners (global settings need a restart and are reported if changed). Drain (SIGTERM, via the
 * shutdown hook): stop accepting hand-offs and clients, let what is in flight finish for up to
 * {@code grace}, then stop the loops (which close what is left) and the admin endpoint.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Relay relay;
    private final HandoffServer handoff;
    private final AdminServer admin;
    private final AdminSocket adminSocket;
    final Balancing balancing;
    private final Path file;
    private volatile RelayConfig config;

    private Lifecycle(RelayConfig config, Path file, AdminAccess access) throws IOException {
        this.config = config;
        this.file = file;
        RelayConfig.Global g = config.global();
        relay = new Relay(g);
        balancing = new Balancing(relay);
        balancing.apply(config);
        relay.routes = balancing::routesText;
        relay.router = balancing::route;
        handoff = g.handoffSocket() == null ? null : new HandoffServer(g, relay);
        if (handoff != null) {
            Thread acceptor = new Thread(handoff, "handoff-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        AdminPages pages = new AdminPages(access, relay, balancing);
        admin = g.admin() == null ? null : new AdminServer(g.admin().host(), g.admin().port(), pages);
        adminSocket = g.adminSocket() == null ? null : new AdminSocket(g.adminSocket(), pages);
        if (adminSocket != null) {
            Thread t = new Thread(adminSocket, "admin-socket-accept");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Starts the relay; {@code access} guards the admin endpoint's operations (read from the config at start-up). */
    static Lifecycle start(RelayConfig config, Path file, AdminAccess access) throws IOException {
        Lifecycle life = new Lifecycle(config, file, access);
        if (file != null) {
            SignalHandler before = Signal.handle(new Signal("HUP"), sig -> {
                Thread t = new Thread(life::reload, "reload");
                t.setDaemon(true);
                t.start();
            });
            if (before == SignalHandler.SIG_IGN) {
                // The JVM does not take a signal its parent left ignored (nohup does that): HUP would do nothing.
                LOG.warn("SIGHUP was ignored when the relay started (nohup?): kill -HUP cannot reload {};"
                        + " start the relay without nohup to reload, or restart it to apply a change", file);
            }
        }
        return life;
    }

    String readyLine() {
        StringBuilder sb = new StringBuilder("READY");
        if (handoff != null) {
            sb.append(" socket=").append(handoff.path());
        }
        balancing.listeners().stream().findFirst().ifPresent(l -> sb.append(" listen=").append(l.port()));
        if (admin != null) {
            sb.append(" admin=").append(admin.port());
        }
        return sb.toString();
    }

    synchronized void reload() {
        RelayConfig next;
        try {
            next = ConfigParser.parse(file);
        } catch (ConfigException e) {
            for (ConfigException problem : e.all()) {
                LOG.error("reload failed, the running configuration stays: {}", problem.getMessage());
            }
            return;
        }
        ConfigDiff diff = ConfigDiff.between(config, next);
        if (!diff.globalChanges().isEmpty()) {
            LOG.warn("reload: global settings changed ({}); they take effect at the next restart",
                    String.join(", ", diff.globalChanges()));
        }
        if (!diff.added().isEmpty() || !diff.removed().isEmpty()) {
            LOG.info("reload: sections added {}, removed {}", names(diff.added()), names(diff.removed()));
        }
        try {
            balancing.apply(next);
            config = next;
            relay.pushRoutes(); // agents learn added or removed routes at once
            LOG.info("reloaded {}: {}", file, summary(next));
        } catch (IOException | RuntimeException e) {
            LOG.error("reload failed, the running configuration stays: {}", e.getMessage());
        }
    }

    void drain() {
        long deadline = System.currentTimeMillis() + config.global().graceMillis();
        if (handoff != null) {
            handoff.stop();
        }
        balancing.stopAccepting();
        LOG.info("draining: {} connection(s), {} hand-off transfer(s) in flight", balancing.open(), relay.active());
        while ((relay.active() > 0 || balancing.open() > 0) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (relay.active() > 0 || balancing.open() > 0) {
            LOG.warn("grace period over: closing {} connection(s), {} transfer(s)", balancing.open(), relay.active());
        }
        relay.stop();
        balancing.connector.stop();
        if (admin != null) {
            admin.stop();
        }
        if (adminSocket != null) {
            adminSocket.stop();
        }
    }

    private static List<String> names(List<RelayConfig.ProxySection> sections) {
        return sections.stream().map(RelayConfig.ProxySection::name).collect(Collectors.toList());
    }

    static String summary(RelayConfig c) {
        String proxies = c.proxies().stream().map(Lifecycle::describe).collect(Collectors.joining("; "));
        return c.source() + ": " + (c.global().handoffSocket() != null ? "hand-off socket " + c.global().handoffSocket()
                + (proxies.isEmpty() ? "" : "; ") : "") + proxies;
    }

    private static String describe(ProxySection p) {
        return (p.binds().isEmpty() ? "pool " : "listen ") + p.name()
                + (p.binds().isEmpty() ? "" : " on " + p.binds()) + ", balance " + p.balance() + ", "
                + p.servers().size() + " server(s)";
    }
}
