package dev.l7splice.demo.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The demo's Spring Boot 4 MVC app on its embedded Tomcat 11: one proxy controller
 * ({@link ProxyController}) in front of the demo origin, written as a Spring team would, with nothing
 * that knows l7splice. Usage: {@code SpringProxyApp --backend HOST:PORT [--port N]}; prints
 * {@code READY port=N} once Tomcat listens (the demo driver's readiness line).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ProxyController.class)
public class SpringProxyApp {

    static final String USAGE = "usage: java -cp demo-spring.jar:lib/* dev.l7splice.demo.spring.SpringProxyApp"
            + " --backend HOST:PORT [--port N]   (port 0, the default, picks a free one)";

    public static void main(String[] args) {
        List<String> boot;
        try {
            boot = bootArguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        ConfigurableApplicationContext context = SpringApplication.run(SpringProxyApp.class, boot.toArray(String[]::new));
        System.out.println("READY port=" + port(context));
    }

    /** The port Tomcat bound (server.port=0 asks for a free one). */
    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /**
     * The demo's options as Boot properties: loopback, quiet (warnings only, no banner: the child's
     * stdout is the driver's log), and an async timeout long enough for a 1 GiB body on a slow
     * machine (Tomcat's own default, 30 s, would cut a StreamingResponseBody short).
     */
    static List<String> bootArguments(String[] args) {
        String backend = null;
        String port = "0";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--backend" -> backend = required(args[i], value);
                case "--port" -> port = required(args[i], value);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
            i++;
        }
        if (backend == null) {
            throw new IllegalArgumentException("--backend HOST:PORT is required");
        }
        return new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--" + ProxyController.BACKEND_PROPERTY + "=" + backend,
                "--spring.main.banner-mode=off", "--spring.main.log-startup-info=false", "--logging.level.root=warn",
                "--spring.mvc.async.request-timeout=10m"));
    }

    private static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
