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
    String adminTokenFile;
    boolean adminInsecureOps;
    String adminSocket;
    /** Lines of the admin keywords, for the checks that need the whole section (0 = not written). */
    int adminTokenLine;
    int adminInsecureLine;

    void apply(Statement st) throws ConfigException {
        if (st.keyword().equals("admin-insecure-ops")) {
            st.expectArgs(0);
            adminInsecureOps = true;
            adminInsecureLine = st.line();
            return;
        }
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
            case "admin-token-file": adminTokenFile = v; adminTokenLine = st.line(); break;
            case "admin-socket": adminSocket = v; break;
            default: throw new IllegalStateException("not a global keyword: " + st.keyword());
        }
    }

    /**
     * The admin credential rules, once the whole file was read: a token or insecure operations need
     * an admin endpoint; insecure operations only on a loopback address, and not with a token.
     */
    void checkAdmin(String file, ConfigErrors errors) {
        if (admin == null) {
            if (adminTokenLine > 0) {
                errors.add(new ConfigException(file, adminTokenLine, "admin-token-file",
                        "there is no admin endpoint to protect (expected admin HOST:PORT in global)"));
            }
            if (adminInsecureLine > 0) {
                errors.add(new ConfigException(file, adminInsecureLine, "admin-insecure-ops",
                        "there is no admin endpoint (expected admin HOST:PORT in global)"));
            }
        } else if (adminInsecureLine > 0 && adminTokenLine > 0) {
            errors.add(new ConfigException(file, adminInsecureLine, "admin-insecure-ops",
                    "together with admin-token-file (remove one: with a token, operations need it)"));
        } else if (adminInsecureLine > 0 && !admin.isLoopback()) {
            errors.add(new ConfigException(file, adminInsecureLine, "admin-insecure-ops",
                    "admin " + admin + " is not a loopback address (expected admin 127.0.0.1:PORT or [::1]:PORT,"
                            + " or admin-token-file PATH instead)"));
        }
    }

    Global build() {
        return new Global(threads, pipesMax, pipeSize, maxTransfers, handoffSocket, socketGroup,
                List.copyOf(allowedUids), admin, idleTimeoutMillis, graceMillis, adminTokenFile, adminInsecureOps,
                adminSocket);
    }
}
