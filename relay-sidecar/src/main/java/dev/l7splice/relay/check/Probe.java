package dev.l7splice.relay.check;

import dev.l7splice.relay.balance.Server;

/**
 * One health probe of one server: {@link TcpProbe} or {@link HttpProbe}. Results use HAProxy's
 * words (L4OK, L4CON, L7OK, L7STS, L7RSP, L7TOUT).
 */
public interface Probe {

    record Result(boolean ok, String text) {
    }

    String name();

    Result check(Server s, int timeoutMs);

    /** {@code check} alone: the server accepts a TCP connection. */
    static Probe tcp() {
        return new TcpProbe();
    }

    /** {@code option httpchk METHOD PATH} + {@code http-check expect status CODE}. */
    static Probe http(String method, String path, int expectStatus) {
        return new HttpProbe(method, path, expectStatus);
    }
}
