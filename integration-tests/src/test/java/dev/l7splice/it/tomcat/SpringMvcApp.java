package dev.l7splice.it.tomcat;

import dev.l7splice.demo.BodyPattern;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A Spring Boot 4 MVC app on its embedded Tomcat (its own JVM), copying bodies as Spring
 * applications do; nothing here knows the agent:
 *
 * <pre>
 *   GET /static/body-SIZE          Spring's static resource handling (a file: location)
 *   GET /resource/SIZE             ResponseEntity&lt;Resource&gt; of a FileSystemResource
 *   GET /url/KIND/SIZE?mode=M      StreamingResponseBody: the upstream's /KIND/SIZE through HttpURLConnection
 *   GET /hc/KIND/SIZE?mode=M&amp;via=V  StreamingResponseBody: the same through Apache HttpClient 5 classic (one
 *                                  pooled client), V=content (getContent().transferTo) or writeTo (entity.writeTo)
 *   GET /stats                     the agent's counters (AgentMBean)
 * </pre>
 * M=fixed declares the length (Content-Length), otherwise the response is chunked. Usage:
 * {@code SpringMvcApp UPSTREAM_PORT}; prints "READY port=N".
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SpringMvcApp.Bodies.class)
public class SpringMvcApp {

    static Path dir;
    static int upstream;
    private static final Map<Long, Path> FILES = new ConcurrentHashMap<>();

    public static void main(String[] args) throws IOException {
        dir = dev.l7splice.demo.TempDirs.create("l7spring");
        upstream = Integer.parseInt(args[0]);
        ConfigurableApplicationContext ctx = SpringApplication.run(SpringMvcApp.class, "--server.port=0",
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--logging.level.root=warn",
                "--server.tomcat.connection-timeout=3s", "--spring.mvc.static-path-pattern=/static/**",
                "--spring.web.resources.static-locations=file:" + dir + "/");
        System.out.println("READY port=" + ctx.getEnvironment().getProperty("local.server.port"));
    }

    /** A pattern file of n bytes in the static folder, written once. */
    static Path file(long n) {
        return FILES.computeIfAbsent(n, k -> {
            try {
                Path f = dir.resolve("body-" + k);
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                    BodyPattern.writeTo(o, k);
                }
                return f;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @RestController
    public static class Bodies {

        private final CloseableHttpClient client = HttpClients.createDefault();

        @GetMapping("/static-prepare/{n}")
        public String prepare(@PathVariable("n") long n) {
            return file(n).getFileName().toString();
        }

        @GetMapping("/resource/{n}")
        public ResponseEntity<Resource> resource(@PathVariable("n") long n) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(new FileSystemResource(file(n)));
        }

        @GetMapping("/url/{kind}/{n}")
        public ResponseEntity<StreamingResponseBody> url(@PathVariable("kind") String kind, @PathVariable("n") long n,
                                                         @RequestParam(name = "mode", defaultValue = "chunked") String mode) {
            return streaming(n, mode, out -> {
                try (InputStream in = URI.create("http://127.0.0.1:" + upstream + "/" + kind + "/" + n).toURL()
                        .openConnection().getInputStream()) {
                    in.transferTo(out);
                }
            });
        }

        @GetMapping("/hc/{kind}/{n}")
        public ResponseEntity<StreamingResponseBody> hc(@PathVariable("kind") String kind, @PathVariable("n") long n,
                                                        @RequestParam(name = "mode", defaultValue = "chunked") String mode,
                                                        @RequestParam(name = "via", defaultValue = "content") String via) {
            return streaming(n, mode, out -> {
                HttpGet get = new HttpGet("http://127.0.0.1:" + upstream + "/" + kind + "/" + n);
                try (ClassicHttpResponse r = client.executeOpen(null, get, null)) {
                    if (via.equals("writeTo")) {
                        r.getEntity().writeTo(out);
                    } else {
                        try (InputStream in = r.getEntity().getContent()) {
                            in.transferTo(out);
                        }
                    }
                }
            });
        }

        @GetMapping("/stats")
        public String stats() {
            return AgentMBean.line() + " gz=0 tls=0\n";
        }

        private static ResponseEntity<StreamingResponseBody> streaming(long n, String mode, StreamingResponseBody body) {
            ResponseEntity.BodyBuilder b = ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM);
            return (mode.equals("fixed") ? b.contentLength(n) : b).body(body);
        }
    }
}
