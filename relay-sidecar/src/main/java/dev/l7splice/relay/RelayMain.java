package dev.l7splice.relay;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar l7relay.jar --handoff-socket PATH}: the relay as a sidecar process. Prints
 * {@code READY socket=PATH [admin=PORT]} on stdout once agents can connect. SIGTERM removes the
 * socket file, gives transfers in flight a few seconds, then exits.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        RelayOptions o;
        try {
            o = RelayOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("l7relay: " + e.getMessage());
            System.err.println(RelayOptions.USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.println(RelayOptions.USAGE);
            return;
        }
        if (LinuxIo.unavailableReason() != null) {
            System.err.println("l7relay: " + LinuxIo.unavailableReason());
            System.exit(3);
        }
        Logger log = LoggerFactory.getLogger(RelayMain.class);
        Relay relay = new Relay(o);
        HandoffServer server = o.socketPath == null ? null : new HandoffServer(o, relay);
        AdminServer admin = o.adminPort >= 0 ? new AdminServer(o.adminHost, o.adminPort, relay) : null;
        if (server != null) {
            Thread acceptor = new Thread(server, "handoff-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        TcpBalancer balancer = o.listenHost == null ? null : StandaloneSetup.start(o, relay);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server != null) {
                server.stop();
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (relay.active() > 0 && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    break;
                }
            }
            relay.stop();
            if (admin != null) {
                admin.stop();
            }
            stopped.countDown();
        }, "relay-exit"));
        if (server != null) {
            log.info("relay listening on {} ({} loop(s), max {} transfers)", server.path(), o.threads, o.maxTransfers);
        }
        System.out.println("READY" + (server != null ? " socket=" + server.path() : "")
                + (balancer != null ? " listen=" + balancer.port() : "") + (admin != null ? " admin=" + admin.port() : ""));
        System.out.flush();
        stopped.await();
    }
}
