package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the relay's configuration file (format: docs/configuration.md) into a {@link RelayConfig}.
 * Pure: reads the file and nothing else (no DNS, no sockets), so it serves both start-up and
 * reload, and {@code --check-config}. Reads the whole file even after a problem and reports every
 * one (at most one per statement; see {@link ConfigException#all()}). A section whose header is bad
 * is still read, so its statements are checked, but its whole-section checks are skipped (they
 * would only repeat the header's problem). Thread-safe: every call has its own state.
 */
public final class ConfigParser {

    private static final Map<String, String> HINTS = Map.of(
            "frontend", " (use 'listen NAME' with bind and server lines, or 'pool NAME' for route hand-off)",
            "backend", " (use 'listen NAME' with bind and server lines, or 'pool NAME' for route hand-off)",
            "mode", " (the relay always works like HAProxy's mode tcp: remove the line)");

    private final String file;
    private final ConfigErrors errors = new ConfigErrors();
    private final GlobalBuilder global = new GlobalBuilder();
    private final List<ProxySection> proxies = new ArrayList<>();
    private final Map<String, Integer> sectionLines = new HashMap<>();
    private final Map<String, String> bindOwners = new HashMap<>();
    private final Map<String, String> routeOwners = new HashMap<>();
    private final Set<String> pools = new HashSet<>();
    private ProxySettings defaults = new ProxySettings();
    private ProxyBuilder proxy;
    private String section;
    /** Listen and pool headers read, good or bad: "nothing to do" only when there are none. */
    private int proxyHeaders;

    private ConfigParser(String file) {
        this.file = file;
    }

    /** The configuration in {@code file}; a {@link ConfigException} names every problem found. */
    public static RelayConfig parse(Path file) throws ConfigException {
        String name = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new ConfigException(name, 0, "--config", "cannot read the file: it is not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, "--config", "cannot read the file: no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(name, 0, "--config", "cannot read the file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(name, 0, "--config", "cannot read the file: " + e.getMessage());
        }
        return parse(name, lines);
    }

    /** The configuration in {@code lines}, as if read from a file named {@code source}. */
    static RelayConfig parse(String source, List<String> lines) throws ConfigException {
        ConfigParser p = new ConfigParser(source);
        for (int i = 0; i < lines.size(); i++) {
            Statement st = Statement.of(source, i + 1, lines.get(i));
            if (st != null) {
                p.errors.check(() -> p.statement(st));
            }
        }
        return p.finish();
    }

    private void statement(Statement st) throws ConfigException {
        String kw = st.keyword();
        if (!Keywords.known(kw)) {
            throw st.error("unknown keyword" + HINTS.getOrDefault(kw, Keywords.suggest(kw, Keywords.allowedIn(null))));
        }
        if (Keywords.isSection(kw)) {
            startSection(st);
            return;
        }
        if (section == null) {
            throw st.error("before any section (start with global, defaults, listen NAME or pool NAME)");
        }
        List<String> allowed = Keywords.sections(kw);
        if (!allowed.contains(section)) {
            String hint = kw.equals("server") && section.equals(Keywords.DEFAULTS) ? "; use default-server here" : "";
            throw st.error("not allowed in a " + section + " section (allowed in: " + String.join(", ", allowed)
                    + hint + ")");
        }
        if (section.equals(Keywords.GLOBAL)) {
            global.apply(st);
        } else if (section.equals(Keywords.DEFAULTS)) {
            defaults.apply(st);
        } else {
            proxy.apply(st);
        }
    }

    private void startSection(Statement st) throws ConfigException {
        finishProxy();
        section = st.keyword();
        if (section.equals(Keywords.GLOBAL)) {
            st.expectArgs(0);
        } else if (section.equals(Keywords.DEFAULTS)) {
            defaults = new ProxySettings();
            st.expectArgs(0);
        } else {
            proxyHeaders++;
            proxy = new ProxyBuilder(st, defaults); // even with a bad header, so its statements are checked
            proxy.checkHeader();
            Integer earlier = sectionLines.putIfAbsent(proxy.name, st.line());
            if (earlier != null) {
                proxy.headerFailed();
                throw st.error("duplicate section name '" + proxy.name + "' (first at line " + earlier
                        + "; listen and pool names share one name space)");
            }
        }
    }

    /** The section just read, checked as a whole and against the sections before it. */
    private void finishProxy() {
        ProxyBuilder done = proxy;
        proxy = null;
        if (done == null || !done.headerValid()) {
            return;
        }
        ProxySection built = done.build(errors);
        for (int i = 0; i < built.binds().size(); i++) {
            HostPort bind = built.binds().get(i);
            String where = "listen " + built.name() + " at line " + done.bindLines.get(i);
            String earlier = bind.port() == 0 ? null : bindOwners.putIfAbsent(Addresses.key(bind), where);
            if (earlier != null) {
                errors.add(new ConfigException(file, done.bindLines.get(i), "bind",
                        "duplicate bind address " + bind + " (already bound by " + earlier + ")"));
            }
        }
        for (int i = 0; i < built.routes().size(); i++) {
            HostPort route = built.routes().get(i);
            String where = "pool " + built.name() + " at line " + done.routeLines.get(i);
            String earlier = routeOwners.putIfAbsent(Addresses.key(route), where);
            if (earlier != null) {
                errors.add(new ConfigException(file, done.routeLines.get(i), "route",
                        "duplicate route " + route + " (already routed by " + earlier + ")"));
            }
        }
        if (!done.isListen()) {
            pools.add(built.name());
        }
        proxies.add(built);
    }

    private RelayConfig finish() throws ConfigException {
        finishProxy();
        global.checkAdmin(file, errors);
        RelayConfig.Global g = global.build();
        if (proxyHeaders == 0 && g.handoffSocket() == null) {
            errors.add(new ConfigException(file, 0, "listen", "nothing to do: no listen or pool section and no"
                    + " handoff-socket (expected at least one listen or pool section, or handoff-socket in global)"));
        }
        for (ProxySection p : proxies) {
            if (pools.contains(p.name()) && g.handoffSocket() == null) {
                errors.add(new ConfigException(file, p.line(), "pool", p.name() + " is reached only by route"
                        + " hand-off from the agent (expected handoff-socket PATH in global)"));
            }
        }
        errors.throwIfAny();
        return new RelayConfig(file, g, List.copyOf(proxies));
    }
}
