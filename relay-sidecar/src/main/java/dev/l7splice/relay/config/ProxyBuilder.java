package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Collects one {@code listen} or {@code pool} section's statements. Not thread-safe (one parse). */
final class ProxyBuilder {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    final Statement header;
    final String name;
    final ProxySettings settings;
    final List<HostPort> binds = new ArrayList<>();
    final List<Integer> bindLines = new ArrayList<>();
    final List<HostPort> routes = new ArrayList<>();
    final List<Integer> routeLines = new ArrayList<>();
    private final List<ServerSpec> servers = new ArrayList<>();
    private final Set<String> serverNames = new HashSet<>();
    /** A bind or server line was written, even a bad one: then "has no bind/server" would only repeat it. */
    private boolean bindWritten;
    private boolean serverWritten;
    private boolean headerValid = true;

    /** Never fails: a section with a bad header is still read, so its statements are checked too. */
    ProxyBuilder(Statement header, ProxySettings defaults) {
        this.header = header;
        this.name = header.args().isEmpty() ? "" : header.args().get(0);
        this.settings = defaults.copy();
    }

    /** The header's problem, if any; a bad header leaves the section out of the whole-section checks. */
    void checkHeader() throws ConfigException {
        try {
            header.expectArgs(1);
            name(header, name, "section");
        } catch (ConfigException e) {
            headerFailed();
            throw e;
        }
    }

    void headerFailed() {
        headerValid = false;
    }

    boolean headerValid() {
        return headerValid;
    }

    boolean isListen() {
        return header.keyword().equals(Keywords.LISTEN);
    }

    void apply(Statement st) throws ConfigException {
        switch (st.keyword()) {
            case "bind":
                bindWritten = true;
                st.expectArgs(1);
                binds.add(Addresses.numeric(st, st.arg(0), 0));
                bindLines.add(st.line());
                break;
            case "route":
                st.expectArgs(1);
                routes.add(Addresses.route(st, st.arg(0)));
                routeLines.add(st.line());
                break;
            case "server": {
                serverWritten = true;
                String server = name(st, st.arg(0), "server");
                HostPort address = Addresses.numeric(st, st.arg(1), 1);
                if (!serverNames.add(server)) {
                    throw st.error("duplicate server name '" + server + "' in " + header.keyword() + " " + name);
                }
                ServerOptions options = settings.defaultServer.copy();
                options.apply(st, 2);
                servers.add(options.toSpec(server, address, st.line()));
                break;
            }
            default:
                if (!settings.apply(st)) {
                    throw new IllegalStateException("not a proxy keyword: " + st.keyword());
                }
        }
    }

    /** The section, once its last line was read; what needs the whole section is checked into {@code errors}. */
    ProxySection build(ConfigErrors errors) {
        if (isListen() && !bindWritten) {
            errors.add(header.error(name + " has no bind (expected at least one 'bind HOST:PORT' line)"));
        }
        if (!serverWritten) {
            errors.add(header.error(name + " has no server (expected at least one 'server NAME HOST:PORT' line)"));
        }
        if (settings.expectLine > 0 && settings.checkPath == null && !settings.httpchkWritten) {
            errors.add(new ConfigException(header.file(), settings.expectLine, "http-check",
                    "needs 'option httpchk [METHOD] PATH' in the same section or its defaults (for " + name + ")"));
        }
        return new ProxySection(name, List.copyOf(binds), List.copyOf(routes), settings.balance,
                settings.resolvedTimeouts(), settings.retries, settings.httpCheck(), settings.maxQueue,
                List.copyOf(servers), header.line());
    }

    private static String name(Statement st, String name, String what) throws ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw st.error("'" + name + "' is not a valid " + what + " name (expected letters, digits, '.', '_', ':'"
                    + " or '-', at most 64, starting with a letter or digit)");
        }
        return name;
    }
}
