package dev.l7splice.relay.check;

import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.balance.Server;

/** {@code check} alone: the server accepts a TCP connection (L4OK, or L4CON with the errno). Stateless. */
record TcpProbe() implements Probe {

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
}
