package dev.l7splice.it.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.mitre.dsmiley.httpproxy.ProxyServlet;

/**
 * smiley-http-proxy-servlet 2.0 (its {@code ProxyServlet}, unchanged, over Apache HttpClient 4.5) on a
 * plain embedded Tomcat 11 (its own JVM): {@code /proxy/*} goes to the {@link KeepAliveOrigin} given
 * as the first argument; a body with a length is copied by HttpClient's {@code entity.writeTo}, a
 * chunked one by the servlet's own flushing loop. {@code /stats}: the agent's counters. Prints
 * "READY port=N".
 */
public final class SmileyProxyTomcatApp {

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dev.l7splice.demo.TempDirs.create("l7smiley").toString());
        Connector c = new Connector("HTTP/1.1");
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        c.setProperty("connectionTimeout", "3000");
        tomcat.getService().addConnector(c);
        tomcat.setConnector(c);
        Context ctx = tomcat.addContext("", null);
        Wrapper proxy = Tomcat.addServlet(ctx, "proxy", new ProxyServlet());
        proxy.addInitParameter("targetUri", "http://127.0.0.1:" + args[0]);
        proxy.addInitParameter("log", "false");
        ctx.addServletMappingDecoded("/proxy/*", "proxy");
        Tomcat.addServlet(ctx, "stats", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getOutputStream().write((AgentMBean.line() + " gz=0 tls=0\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        ctx.addServletMappingDecoded("/stats", "stats");
        tomcat.start();
        System.out.println("READY port=" + c.getLocalPort());
        tomcat.getServer().await();
    }
}
