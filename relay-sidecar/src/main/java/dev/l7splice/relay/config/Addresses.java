package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code HOST:PORT} arguments. Binds, servers and the admin endpoint take numeric hosts only (IPv4,
 * or IPv6 in brackets), so that starting the relay never waits on DNS; a route may also name a host,
 * because it is matched against the address the application connects to.
 */
final class Addresses {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final String EXPECTED = " (expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)";

    private Addresses() {
    }

    /** A numeric {@code HOST:PORT} with a port in {@code minPort..65535}. */
    static HostPort numeric(Statement st, String v, int minPort) throws ConfigException {
        return parse(st, v, minPort, false);
    }

    /** A {@code HOST:PORT} whose host may also be a DNS name (kept in lower case, not resolved). */
    static HostPort route(Statement st, String v) throws ConfigException {
        return parse(st, v, 1, true);
    }

    /** The same key for two spellings of one address ([::1] and [0:0::1]). */
    static String key(HostPort hp) {
        if (hp.host().indexOf(':') < 0) {
            return hp.toString();
        }
        try {
            return "[" + InetAddress.getByName(hp.host()).getHostAddress() + "]:" + hp.port();
        } catch (UnknownHostException cannotHappenForAValidatedLiteral) {
            return hp.toString();
        }
    }

    private static HostPort parse(Statement st, String v, int minPort, boolean namesAllowed) throws ConfigException {
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw st.error("'" + v + "': missing ']' after the IPv6 address" + EXPECTED);
            }
            host = v.substring(1, close);
            if (close + 1 >= v.length() || v.charAt(close + 1) != ':') {
                throw st.error("missing port in '" + v + "'" + EXPECTED);
            }
            port = v.substring(close + 2);
            if (!ipv6(host)) {
                throw st.error("'" + host + "' is not a valid IPv6 address" + EXPECTED);
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                throw st.error("missing port in '" + v + "'" + EXPECTED);
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw st.error("'" + v + "': an IPv6 address needs brackets, e.g. [::1]:8080");
            }
            if (host.equals("*") || host.isEmpty()) {
                throw st.error("'" + v + "' has no host (write 0.0.0.0:PORT or [::]:PORT for every address)");
            }
            if (!IPV4.matcher(host).matches()) {
                if (!namesAllowed) {
                    throw st.error("'" + host + "' is not a numeric address (expected an IPv4 address such as"
                            + " 127.0.0.1, or an IPv6 address in brackets; host names are not resolved here)");
                }
                if (!HOST_NAME.matcher(host).matches() || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                    throw st.error("'" + host + "' is not a host name or a numeric address" + EXPECTED);
                }
                host = host.toLowerCase(Locale.ROOT);
            }
        }
        int p = (int) Values.integer(st, "port ", port, minPort, 65535);
        return new HostPort(host, p);
    }

    private static boolean ipv6(String host) {
        if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0 || host.charAt(0) == '.') {
            return false;
        }
        try {
            // A literal with a colon is parsed, never looked up (InetAddress rejects a bad one).
            return InetAddress.getByName(host).getAddress().length == 16 || host.contains(".");
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
