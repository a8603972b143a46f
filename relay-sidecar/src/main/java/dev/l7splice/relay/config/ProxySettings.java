package dev.l7splice.relay.config;

import dev.l7splice.relay.balance.HashKey;
import dev.l7splice.relay.config.RelayConfig.HttpCheck;
import dev.l7splice.relay.config.RelayConfig.Timeouts;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The keywords a {@code defaults} section sets and a {@code listen} or {@code pool} section may
 * override: each defaults section starts again from the built-in values (as in HAProxy), and each
 * proxy section starts from a copy of the last defaults before it. Not thread-safe (one parse).
 */
final class ProxySettings {

    static final List<String> BALANCE = List.of("roundrobin", "leastconn", "random", "source", "hash", "first");
    static final List<String> TIMEOUTS = List.of("connect", "client", "server", "tunnel", "queue", "check");
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

    String balance = "roundrobin";
    /** connect, client, server, tunnel, queue, check; -1 = not set (queue: connect's; check: inter). */
    final long[] timeouts = {5000, 0, 0, 0, -1, -1};
    int retries = 3;
    int maxQueue;
    String checkMethod;
    String checkPath;
    int expectStatus = 200;
    /** Line of the {@code http-check} statement in effect, 0 if none (it needs {@code option httpchk}). */
    int expectLine;
    /** An {@code option httpchk} line was written, even a bad one (then http-check's need is not repeated). */
    boolean httpchkWritten;
    ServerOptions defaultServer = new ServerOptions();

    ProxySettings copy() {
        ProxySettings c = new ProxySettings();
        c.balance = balance;
        System.arraycopy(timeouts, 0, c.timeouts, 0, timeouts.length);
        c.retries = retries;
        c.maxQueue = maxQueue;
        c.checkMethod = checkMethod;
        c.checkPath = checkPath;
        c.expectStatus = expectStatus;
        c.expectLine = expectLine;
        c.httpchkWritten = httpchkWritten;
        c.defaultServer = defaultServer.copy();
        return c;
    }

    /** Applies one of this class's keywords; false if {@code st} is not one of them. */
    boolean apply(Statement st) throws ConfigException {
        switch (st.keyword()) {
            case "balance": {
                String alg = st.arg(0);
                if (!BALANCE.contains(alg)) {
                    throw st.error("unknown algorithm '" + alg + "'" + Keywords.suggest(alg, BALANCE)
                            + " (expected " + String.join(", ", BALANCE) + ")");
                }
                if (alg.equals("hash") && st.args().size() > 1) {
                    st.expectArgs(2);
                    try {
                        balance = "hash " + HashKey.parse(st.arg(1)); // normalised: hdr names in lower case
                    } catch (IllegalArgumentException e) {
                        throw st.error(e.getMessage());
                    }
                    return true;
                }
                st.expectArgs(1);
                balance = alg;
                return true;
            }
            case "timeout": {
                st.expectArgs(2);
                int which = TIMEOUTS.indexOf(st.arg(0));
                if (which < 0) {
                    throw st.error("unknown timeout '" + st.arg(0) + "'" + Keywords.suggest(st.arg(0), TIMEOUTS)
                            + " (expected " + String.join(", ", TIMEOUTS) + ")");
                }
                timeouts[which] = Values.duration(st, st.arg(0) + " ", st.arg(1), which == 5 ? 1 : 0);
                return true;
            }
            case "retries":
                st.expectArgs(1);
                retries = (int) Values.integer(st, "", st.arg(0), 0, 100);
                return true;
            case "maxqueue":
                st.expectArgs(1);
                maxQueue = (int) Values.integer(st, "", st.arg(0), 0, 1_000_000);
                return true;
            case "option":
                httpchk(st);
                return true;
            case "http-check":
                st.expectArgs(3);
                if (!st.arg(0).equals("expect") || !st.arg(1).equals("status")) {
                    throw st.error("unsupported form (expected: " + Keywords.syntax("http-check") + ")");
                }
                expectStatus = (int) Values.integer(st, "status ", st.arg(2), 100, 599);
                expectLine = st.line();
                return true;
            case "default-server":
                defaultServer.apply(st, 0);
                return true;
            default:
                return false;
        }
    }

    private void httpchk(Statement st) throws ConfigException {
        String name = st.arg(0);
        if (!name.equals("httpchk")) {
            throw st.error("unknown option '" + name + "'" + Keywords.suggest(name, List.of("httpchk"))
                    + " (expected: " + Keywords.syntax("option") + ")");
        }
        httpchkWritten = true;
        String method = "GET";
        String path = st.arg(1);
        if (st.args().size() > 2) {
            method = path;
            path = st.arg(2);
            st.noneAfter(3);
            if (!METHOD.matcher(method).matches()) {
                throw st.error("'" + method + "' is not an HTTP method (expected upper-case letters, e.g. GET or HEAD)");
            }
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw st.error("'" + path + "' is not a path (expected one starting with /, e.g. /health)");
        }
        checkMethod = method;
        checkPath = path;
    }

    /** The timeouts with queue and check resolved: queue defaults to connect; check 0 = the server's inter. */
    Timeouts resolvedTimeouts() {
        long queue = timeouts[4] >= 0 ? timeouts[4] : timeouts[0];
        long check = Math.max(timeouts[5], 0);
        return new Timeouts(timeouts[0], timeouts[1], timeouts[2], timeouts[3], queue, check);
    }

    HttpCheck httpCheck() {
        return checkPath == null ? null : new HttpCheck(checkMethod, checkPath, expectStatus);
    }
}
