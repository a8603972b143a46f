package dev.l7splice.it.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * A plain embedded Tomcat 11 (its own JVM, NIO, HTTP/1.1) whose one servlet proxies the
 * {@link KeepAliveOrigin} with Apache HttpClient 5 classic, one pooled client for all requests, as a
 * servlet gateway would:
 *
 * <pre>
 *   GET /hc/KIND/SIZE?mode=fixed|chunked&amp;via=content|writeTo&amp;lib=5|4   the upstream's /KIND/SIZE; fixed sets
 *                      Content-Length; content: getEntity().getContent().transferTo(out), writeTo: entity.writeTo(out);
 *                      lib=4: through a pooled HttpClient 4.5 instead of 5
 *   GET /lasterror     the last exception a proxy request ended with, class and message ("none")
 *   GET /stats         the agent's counters (AgentMBean)
 *   GET /busy          how many proxy requests have not yet returned their upstream connection to the pool
 * </pre>
 * Usage: {@code HttpClientTomcatApp UPSTREAM_PORT}; prints "READY port=N".
 */
public final class HttpClientTomcatApp {

    public static void main(String[] args) throws Exception {
        int upstream = Integer.parseInt(args[0]);
        CloseableHttpClient client = HttpClients.createDefault();
        org.apache.http.impl.client.CloseableHttpClient client4 = org.apache.http.impl.client.HttpClients.createDefault();
        java.util.concurrent.atomic.AtomicReference<String> lastError = new java.util.concurrent.atomic.AtomicReference<>("none");
        java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dev.l7splice.demo.TempDirs.create("l7hctomcat").toString());
        Connector c = new Connector("HTTP/1.1");
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        c.setProperty("connectionTimeout", "3000");
        tomcat.getService().addConnector(c);
        tomcat.setConnector(c);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "hc", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String path = req.getPathInfo();
                resp.setContentType("application/octet-stream");
                if ("fixed".equals(req.getParameter("mode"))) {
                    resp.setContentLengthLong(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
                }
                String url = "http://127.0.0.1:" + upstream + path;
                boolean writeTo = "writeTo".equals(req.getParameter("via"));
                busy.incrementAndGet();
                try {
                    if ("4".equals(req.getParameter("lib"))) {
                        try (org.apache.http.client.methods.CloseableHttpResponse r =
                                     client4.execute(new org.apache.http.client.methods.HttpGet(url))) {
                            if (writeTo) {
                                r.getEntity().writeTo(resp.getOutputStream());
                            } else {
                                try (InputStream in = r.getEntity().getContent()) {
                                    in.transferTo(resp.getOutputStream());
                                }
                            }
                        }
                    } else {
                        try (ClassicHttpResponse r = client.executeOpen(null, new HttpGet(url), null)) {
                            if (writeTo) {
                                r.getEntity().writeTo(resp.getOutputStream());
                            } else {
                                try (InputStream in = r.getEntity().getContent()) {
                                    in.transferTo(resp.getOutputStream());
                                }
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    lastError.set(e.toString()); // the fault tests compare it with and without the agent
                    throw e;
                } finally {
                    busy.decrementAndGet(); // the response is closed: its connection is back in the pool
                }
            }
        });
        ctx.addServletMappingDecoded("/hc/*", "hc");
        Tomcat.addServlet(ctx, "stats", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getOutputStream().write((AgentMBean.line() + " gz=0 tls=0\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        ctx.addServletMappingDecoded("/stats", "stats");
        Tomcat.addServlet(ctx, "busy", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getOutputStream().write((busy.get() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        ctx.addServletMappingDecoded("/busy", "busy");
        Tomcat.addServlet(ctx, "lasterror", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getOutputStream().write((lastError.get() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        ctx.addServletMappingDecoded("/lasterror", "lasterror");
        tomcat.start();
        System.out.println("READY port=" + c.getLocalPort());
        tomcat.getServer().await();
    }
}
