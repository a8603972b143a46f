package dev.l7splice.relay.balance;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One health probe of one server. Results use HAProxy's words (L4OK, L4CON, L7OK, L7STS, L7RSP, L7TOUT). */
public interface Probe {

    record Result(boolean ok, String text) {
    }

    String name();

    Result check(Server s, int timeoutMs);

    /** {@code check} alone: the server accepts a TCP connection. */
    static Probe tcp() {
        return new Probe() {
            @Override
            public String name() {
                return "tcp";
            }

            @Override
            public Result check(Server s, int timeoutMs) {
                long t0 = System.nanoTime();
                int fd = LinuxIo.tcpConnect(s.host, s.port, timeoutMs);
                if (fd < 0) {
                    return new Result(false, "L4CON errno " + -fd);
                }
                LinuxIo.close(fd);
                return new Result(true, "L4OK in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        };
    }

    /** {@code option httpchk METHOD PATH} + {@code http-check expect status CODE}: HTTP/1.0, Connection: close. */
    static Probe http(String method, String path, int expectStatus) {
        return new Probe() {
            @Override
            public String name() {
                return "http";
            }

            @Override
            public Result check(Server s, int timeoutMs) {
                long t0 = System.nanoTime();
                try (Socket sock = new Socket()) {
                    sock.connect(new InetSocketAddress(s.host, s.port), timeoutMs);
                    sock.setSoTimeout(timeoutMs);
                    OutputStream out = sock.getOutputStream();
                    out.write((method + " " + path + " HTTP/1.0\r\nHost: " + s.host + ":" + s.port
                            + "\r\nUser-Agent: l7relay-check\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String line = statusLine(sock.getInputStream());
                    String[] parts = line.split(" ", 3);
                    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                        return new Result(false, "L7RSP bad status line");
                    }
                    int status = Integer.parseInt(parts[1]);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    return status == expectStatus ? new Result(true, "L7OK " + status + " in " + ms + " ms")
                            : new Result(false, "L7STS " + status);
                } catch (java.net.SocketTimeoutException e) {
                    return new Result(false, "L7TOUT after " + timeoutMs + " ms");
                } catch (NumberFormatException e) {
                    return new Result(false, "L7RSP bad status code");
                } catch (IOException e) {
                    return new Result(false, "L4CON " + e.getMessage());
                }
            }
        };
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n' && sb.length() < 1024; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
