package dev.l7splice.relay.admin;

import com.sun.net.httpserver.Headers;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint on a Unix socket ({@code admin-socket PATH}), HAProxy's runtime-API way: the
 * socket file is created with mode 0600, and a connection whose peer uid (SO_PEERCRED) is neither
 * the relay's own nor root's is closed, so the file's permissions and the uid are the credential.
 * Such a request runs every operation without a token. One HTTP/1.0 request per connection
 * ({@code curl --unix-socket PATH http://l7relay/...}), on a thread of its own; a client that
 * sends no complete head within 5 s is dropped.
 */
public final class AdminSocket implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSocket.class);
    private static final int MAX_HEAD = 16 * 1024;
    private static final int READ_TIMEOUT_MS = 5000;

    private final Path path;
    private final int listenFd;
    private final long ownUid = LinuxIo.uid();
    private final AdminPages pages;
    private volatile boolean stopping;

    public AdminSocket(String file, AdminPages pages) throws IOException {
        this.pages = pages;
        this.path = Path.of(file).toAbsolutePath();
        Files.deleteIfExists(path); // a stale socket from a previous run
        listenFd = LinuxIo.unixListen(path.toString(), 0600);
        if (listenFd < 0) {
            throw new IOException("cannot listen on " + path + ": errno " + -listenFd);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void run() {
        while (!stopping) {
            int fd = LinuxIo.accept(listenFd);
            if (fd < 0) {
                if (!stopping) {
                    LOG.warn("accept on {} failed: errno {}", path, -fd);
                    pause();
                }
                continue;
            }
            long uid = LinuxIo.peerUid(fd);
            if (uid != ownUid && uid != 0) {
                LOG.warn("admin socket: refused a connection from uid {} (only {} and root)", uid, ownUid);
                LinuxIo.close(fd);
                continue;
            }
            Thread t = new Thread(() -> serve(fd, uid), "admin-socket-" + fd);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(int fd, long uid) {
        try {
            String head = readHead(fd);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            AdminPages.Answer a;
            if (request.length != 3 || !request[1].startsWith("/")) {
                a = AdminPages.Answer.text(400, "expected: METHOD /PATH HTTP/1.x\n");
            } else {
                Headers headers = new Headers();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                    }
                }
                a = answer(request[0], request[1], headers, uid);
            }
            write(fd, a);
        } finally {
            LinuxIo.close(fd);
        }
    }

    private AdminPages.Answer answer(String method, String target, Headers headers, long uid) {
        try {
            return pages.answer(method, URI.create(target), headers, "unix socket uid " + uid, true);
        } catch (IllegalArgumentException e) {
            return AdminPages.Answer.text(400, "bad request target: " + e.getMessage() + "\n");
        }
    }

    /** The request head (up to the blank line), or null when the client sent none in time. */
    private static String readHead(int fd) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (head.size() < MAX_HEAD) {
            if (LinuxIo.poll(fd, LinuxIo.POLLIN, READ_TIMEOUT_MS) <= 0) {
                return null;
            }
            int n = LinuxIo.read(fd, buf, 0, buf.length);
            if (n <= 0) {
                return null;
            }
            head.write(buf, 0, n);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                return text.substring(0, end);
            }
        }
        return null;
    }

    private static void write(int fd, AdminPages.Answer a) {
        StringBuilder h = new StringBuilder("HTTP/1.0 ").append(a.status()).append(a.status() < 400 ? " OK" : " Error")
                .append("\r\nContent-Type: ").append(a.type()).append("\r\nContent-Length: ").append(a.body().length)
                .append("\r\nConnection: close\r\n");
        a.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        byte[] headBytes = h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + a.body().length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(a.body(), 0, all, headBytes.length, a.body().length);
        for (int off = 0; off < all.length; ) {
            int n = LinuxIo.write(fd, all, off, all.length - off);
            if (n <= 0) {
                return; // the client went away
            }
            off += n;
        }
    }

    public void stop() {
        stopping = true;
        LinuxIo.shutdown(listenFd, 2);
        LinuxIo.close(listenFd);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", path, e.toString());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
