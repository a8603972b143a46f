package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.Global;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import java.util.ArrayList;
import java.util.List;

/** Collects the {@code global} statements (a later one wins, as in HAProxy). Not thread-safe. */
final class GlobalBuilder {

    int threads = 1;
    int pipesMax = 256;
    int pipeSize = 1 << 20;
    int maxTransfers = 10_000;
    String handoffSocket;
    String socketGroup;
    final List<Long> allowedUids = new ArrayList<>();
    HostPort admin;
    long idleTimeoutMillis = 120_000;
    long graceMillis = 10_000;

    void apply(Statement st) throws ConfigException {
        st.expectArgs(1);
        String v = st.arg(0);
        switch (st.keyword()) {
            case "threads": threads = (int) Values.integer(st, "", v, 1, 64); break;
            case "pipes-max": pipesMax = (int) Values.integer(st, "", v, 1, 1_000_000); break;
            case "pipe-size": pipeSize = (int) Values.size(st, "", v, 4096, 1 << 30); break;
            case "max-transfers": maxTransfers = (int) Values.integer(st, "", v, 1, 1_000_000); break;
            case "handoff-socket": handoffSocket = v; break;
            case "socket-group": socketGroup = v; break;
            case "allow-uid": allowedUids.add(Values.integer(st, "", v, 0, 0xffff_ffffL)); break;
            case "admin": admin = Addresses.numeric(st, v, 0); break;
            case "idle-timeout": idleTimeoutMillis = Values.duration(st, "", v, 0); break;
            case "grace": graceMillis = Values.duration(st, "", v, 0); break;
            default: throw new IllegalStateException("not a global keyword: " + st.keyword());
        }
    }

    Global build() {
        return new Global(threads, pipesMax, pipeSize, maxTransfers, handoffSocket, socketGroup,
                List.copyOf(allowedUids), admin, idleTimeoutMillis, graceMillis);
    }
}
