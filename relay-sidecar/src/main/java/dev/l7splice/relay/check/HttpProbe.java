package dev.l7splice.relay.check;

import dev.l7splice.relay.balance.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code option httpchk METHOD PATH} + {@code http-check expect status CODE}: one HTTP/1.0 request
 * with Connection: close; L7OK when the status is the expected one, else L7STS, L7RSP (not a status
 * line), L7TOUT or L4CON. Immutable.
 */
record HttpProbe(String method, String path, int expectStatus) implements Probe {

    /** The longest status line read; a longer one counts as a bad response. */
    private static final int MAX_STATUS_LINE = 1024;

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
                    + "\r\nUser-Agent: l7relay-check\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String[] parts = statusLine(sock.getInputStream()).split(" ", 3);
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

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n' && sb.length() < MAX_STATUS_LINE; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
