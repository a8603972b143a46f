package dev.l7splice.it.tomcat;

import dev.l7splice.demo.BodyPattern;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.context.request.async.WebAsyncUtils;
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
 *   GET /out/SIZE?mode=M           a handler copying the file into HttpServletResponse.getOutputStream() itself
 *   GET /socket/SIZE?mode=M        a handler copying the upstream's /eof/SIZE, read from a plain Socket (its head
 *                                  parsed through a BufferedInputStream), into response.getOutputStream()
 *   GET /hcout/KIND/SIZE?mode=M    a handler writing the HttpClient 5 entity into response.getOutputStream()
 *   GET /abort/SIZE?async=A        the file, fixed length, as a StreamingResponseBody (A=true) or from the handler
 *                                  itself; what the copy raised and Spring's request state are kept for /last-error
 *   GET /last-error                "EXCEPTION-CLASS|prefix=BOOL|state=STATE" of the last /abort, or empty
 *   GET /fds                       this process's open file descriptors
 *   GET /stats                     the agent's counters (AgentMBean)
 * </pre>
 * M=fixed declares the length (Content-Length), otherwise the response is chunked. Usage:
 * {@code SpringMvcApp UPSTREAM_PORT [--boot.property=value...]}; prints "READY port=N".
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
        java.util.List<String> boot = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--logging.level.root=warn",
                "--server.tomcat.connection-timeout=3s", "--spring.mvc.static-path-pattern=/static/**",
                "--spring.web.resources.static-locations=file:" + dir + "/"));
        boot.addAll(java.util.Arrays.asList(args).subList(1, args.length)); // more Boot properties from the test
        ConfigurableApplicationContext ctx = SpringApplication.run(SpringMvcApp.class, boot.toArray(String[]::new));
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

        /** What the last /abort's copy raised (empty until it ended). */
        private static final AtomicReference<String> LAST_ERROR = new AtomicReference<>("");

        @GetMapping("/out/{n}")
        public void out(@PathVariable("n") long n, @RequestParam(name = "mode", defaultValue = "chunked") String mode,
                        HttpServletResponse resp) throws IOException {
            head(resp, n, mode);
            try (InputStream in = Files.newInputStream(file(n))) {
                in.transferTo(resp.getOutputStream());
            }
        }

        @GetMapping("/socket/{n}")
        public void socket(@PathVariable("n") long n, @RequestParam(name = "mode", defaultValue = "chunked") String mode,
                           HttpServletResponse resp) throws IOException {
            try (Socket s = new Socket("127.0.0.1", upstream)) {
                s.getOutputStream().write(("GET /eof/" + n + " HTTP/1.1\r\nHost: o\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 8192);
                for (int state = 0; state < 4; ) { // skip the head: up to CR LF CR LF
                    int c = in.read();
                    if (c < 0) {
                        throw new IOException("upstream ended in its head");
                    }
                    state = c == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (c == '\r' ? 1 : 0);
                }
                head(resp, n, mode);
                in.transferTo(resp.getOutputStream()); // the body, to the upstream's end of stream
            }
        }

        @GetMapping("/hcout/{kind}/{n}")
        public void hcout(@PathVariable("kind") String kind, @PathVariable("n") long n,
                          @RequestParam(name = "mode", defaultValue = "chunked") String mode, HttpServletResponse resp)
                throws IOException {
            try (ClassicHttpResponse r = client.executeOpen(null, new HttpGet("http://127.0.0.1:" + upstream + "/" + kind + "/" + n), null)) {
                head(resp, n, mode);
                r.getEntity().writeTo(resp.getOutputStream());
            }
        }

        @GetMapping("/abort/{n}")
        public ResponseEntity<StreamingResponseBody> abort(@PathVariable("n") long n, @RequestParam(name = "async") boolean async,
                                                           HttpServletRequest req, HttpServletResponse resp) throws IOException {
            LAST_ERROR.set("");
            Object manager = WebAsyncUtils.getAsyncManager(req);
            if (!async) {
                head(resp, n, "fixed");
                try (InputStream in = Files.newInputStream(file(n))) {
                    in.transferTo(resp.getOutputStream());
                    LAST_ERROR.set("none");
                } catch (IOException | RuntimeException e) {
                    LAST_ERROR.set(describe(e, manager));
                    throw e;
                }
                return null;
            }
            return streaming(n, "fixed", out -> {
                try (InputStream in = Files.newInputStream(file(n))) {
                    in.transferTo(out);
                    LAST_ERROR.set("none");
                } catch (IOException | RuntimeException e) {
                    LAST_ERROR.set(describe(e, manager));
                    throw e;
                }
            });
        }

        @GetMapping("/last-error")
        public String lastError() {
            return LAST_ERROR.get();
        }

        @GetMapping("/fds")
        public String fds() throws IOException {
            try (var list = Files.list(Path.of("/proc/self/fd"))) {
                return Long.toString(list.count());
            }
        }

        /** The exception, whether Spring's write-failure handling made it, and Spring's request state (read reflectively). */
        private static String describe(Exception e, Object manager) {
            String state;
            try {
                java.lang.reflect.Field f = manager.getClass().getDeclaredField("asyncWebRequest");
                f.setAccessible(true);
                Object web = f.get(manager);
                java.lang.reflect.Field st = web.getClass().getDeclaredField("state");
                st.setAccessible(true);
                state = String.valueOf(st.get(web));
            } catch (ReflectiveOperationException | RuntimeException r) {
                state = "unknown:" + r;
            }
            return e.getClass().getName() + "|prefix=" + String.valueOf(e.getMessage()).startsWith("ServletOutputStream failed to write")
                    + "|state=" + state;
        }

        private static void head(HttpServletResponse resp, long n, String mode) {
            resp.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            if (mode.equals("fixed")) {
                resp.setContentLengthLong(n);
            }
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
