package dev.l7splice.relay.handoff;

import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.config.RelayConfig;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket agents connect to. The socket file is created with mode 0600 (0660 and a group
 * with --socket-group); every connection's peer uid (SO_PEERCRED) must be the relay's own or an
 * allowed one, otherwise it is closed with one log line. Each accepted agent gets a thread.
 */
public final class HandoffServer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffServer.class);

    private final Path path;
    private final int listenFd;
    private final Set<Long> allowedUids = new HashSet<>();
    private final Relay relay;
    private volatile boolean stopping;

    public HandoffServer(RelayConfig.Global o, Relay relay) throws IOException {
        this.relay = relay;
        this.path = Path.of(o.handoffSocket()).toAbsolutePath();
        Files.deleteIfExists(path); // a stale socket from a previous run
        int mode = o.socketGroup() == null ? 0600 : 0660;
        listenFd = LinuxIo.unixListen(path.toString(), mode);
        if (listenFd < 0) {
            throw new IOException("cannot listen on " + path + ": errno " + -listenFd);
        }
        if (o.socketGroup() != null) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(o.socketGroup());
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        }
        allowedUids.add(LinuxIo.uid());
        allowedUids.addAll(o.allowedUids());
    }

    public Path path() {
        return path;
    }

    @Override
    public void run() {
        while (!stopping) {
            int fd = LinuxIo.accept(listenFd);
            if (fd < 0) {
                if (!stopping) {
                    LOG.warn("accept on {} failed: errno {}", path, -fd);
                    sleep();
                }
                continue;
            }
            long uid = LinuxIo.peerUid(fd);
            if (!allowedUids.contains(uid)) {
                relay.peersRefused.incrementAndGet();
                LOG.warn("refused a control connection from uid {} (allowed: {})", uid, allowedUids);
                LinuxIo.close(fd);
                continue;
            }
            Thread t = new Thread(new ControlConnection(fd, uid, relay), "control-" + fd);
            t.setDaemon(true);
            t.start();
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

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
