package dev.l7splice.it.tomcat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every test of {@link SpringBootTomcatIT}, on the same Spring Boot 4.0.7 MVC app ({@link SpringMvcApp})
 * served by Jetty 12.1.14 ee11 instead (Boot's spring-boot-jetty; Tomcat, its Boot module and Jetty's ee10
 * jars left off the app's class path, so Boot picks Jetty): controller bodies through Spring MVC's lifecycle
 * stream onto Jetty's {@code HttpOutput}, byte-exact and moved in the kernel, keep-alive, a client reset
 * mid-body. Beside SpringBootTomcatIT, whose app and helpers it shares.
 */
class SpringBootJettyIT extends SpringBootTomcatIT {

    /**
     * Boot's default graceful shutdown puts Jetty's StatisticsHandler around every request, whose core response
     * wrapper ({@code EventsHandler$EventsResponse}: it hands each written buffer to its listeners) the Jetty
     * sink does not take ({@code jetty-response:<class>}, Spring's and Jetty's code then copy); without it the
     * response is Jetty's own.
     */
    @Override
    List<String> bootProperties() {
        return List.of("--server.shutdown=immediate");
    }

    /**
     * Not a handler writing an HttpClient 5 entity ({@code entity.writeTo}) into Jetty's stream: HttpClient writes
     * 4 KiB pieces, which Jetty aggregates (a body that fits its buffer gets a Content-Length), while the agent's
     * user-space start writes the JDK transferTo's larger ones, which Jetty does not aggregate (chunked): a framing difference of the
     * HttpClient-to-Jetty pairing, which is not a supported row yet; its bytes are equal.
     */
    @Override
    boolean covers(String path) {
        return !path.startsWith("/hcout/");
    }

    @Override
    String serverClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("l7splice-agent") && !e.contains("l7splice-relay-sidecar") && !e.contains("slf4j-simple")
                        && !e.contains("/agent/target/") && !e.contains("/relay-sidecar/target/")
                        && !e.contains("/tomcat-embed-core/") && !e.contains("/tomcat-embed-websocket/")
                        && !e.contains("/spring-boot-tomcat/") && !e.contains("/spring-boot-starter-tomcat")
                        && !e.contains("/org/eclipse/jetty/ee10/") && !e.contains("jakarta.servlet-api-6.0"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
