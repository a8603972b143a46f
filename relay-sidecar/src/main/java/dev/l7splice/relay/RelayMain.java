package dev.l7splice.relay;

import dev.l7splice.engine.EngineLog;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.admin.AdminAccess;
import dev.l7splice.relay.config.ConfigException;
import dev.l7splice.relay.config.ConfigParser;
import dev.l7splice.relay.config.RelayConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar l7relay.jar}: the relay as a sidecar and/or a standalone balancer. Prints
 * {@code READY [socket=PATH] [listen=PORT] [admin=PORT]} on stdout once it serves. A bad
 * configuration is one line on stderr and exit status 2. SIGHUP re-reads {@code --config}; SIGTERM
 * drains (see {@link Lifecycle}).
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        RelayOptions o;
        RelayConfig config;
        try {
            o = RelayOptions.parse(args);
            if (o.help) {
                System.out.println(RelayOptions.USAGE);
                return;
            }
            config = o.configFile != null ? ConfigParser.parse(Path.of(o.configFile)) : o.toConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("l7relay: " + e.getMessage());
            System.err.println(RelayOptions.USAGE);
            System.exit(2);
            return;
        } catch (ConfigException e) {
            for (ConfigException problem : e.all()) { // every problem in the file, one line each
                System.err.println("l7relay: " + problem.getMessage());
            }
            System.exit(2);
            return;
        }
        AdminAccess access;
        try {
            access = AdminAccess.from(config.global()); // the token file is read once, at start-up
        } catch (IllegalArgumentException e) {
            System.err.println("l7relay: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.checkConfig) {
            System.out.println("configuration valid: " + Lifecycle.summary(config));
            System.out.println(config.describe()); // every section's effective settings, defaults included
            return;
        }
        if (LinuxIo.unavailableReason() != null) {
            System.err.println("l7relay: " + LinuxIo.unavailableReason());
            System.exit(3);
        }
        EngineLog.bind(new EngineLogToSlf4j()); // before Lifecycle starts the relay loops
        Logger log = LoggerFactory.getLogger(RelayMain.class);
        Lifecycle life = Lifecycle.start(config, o.configFile == null ? null : Path.of(o.configFile), access);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            life.drain();
            stopped.countDown();
        }, "relay-exit"));
        log.info("relay started: {}", Lifecycle.summary(config));
        if (config.global().admin() != null) {
            log.info("admin server operations: {}", access.mode());
        }
        System.out.println(life.readyLine());
        System.out.flush();
        stopped.await();
    }
}
