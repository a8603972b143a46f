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

    ProxyBuilder(Statement header, ProxySettings defaults) throws ConfigException {
        header.expectArgs(1);
        this.header = header;
        this.name = name(header, header.arg(0), "section");
        this.settings = defaults.copy();
    }

    boolean isListen() {
        return header.keyword().equals(Keywords.LISTEN);
    }

    void apply(Statement st) throws ConfigException {
        switch (st.keyword()) {
            case "bind":
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

    /** The section, once its last line was read; checks what needs the whole section. */
    ProxySection build() throws ConfigException {
        if (isListen() && binds.isEmpty()) {
            throw header.error(name + " has no bind (expected at least one 'bind HOST:PORT' line)");
        }
        if (servers.isEmpty()) {
            throw header.error(name + " has no server (expected at least one 'server NAME HOST:PORT' line)");
        }
        if (settings.expectLine > 0 && settings.checkPath == null) {
            throw new ConfigException(header.file(), settings.expectLine, "http-check",
                    "needs 'option httpchk [METHOD] PATH' in the same section or its defaults (for " + name + ")");
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
