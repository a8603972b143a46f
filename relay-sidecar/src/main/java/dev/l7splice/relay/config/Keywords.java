package dev.l7splice.relay.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement keyword the parser accepts, with its syntax (for messages) and the sections it
 * may appear in. docs/configuration.md lists exactly these.
 */
final class Keywords {

    static final String GLOBAL = "global";
    static final String DEFAULTS = "defaults";
    static final String LISTEN = "listen";
    static final String POOL = "pool";

    private static final List<String> PROXY_SETTINGS = List.of(DEFAULTS, LISTEN, POOL);
    private static final Map<String, String> SYNTAX = new LinkedHashMap<>();
    private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

    static {
        for (String section : List.of(GLOBAL, DEFAULTS)) {
            add(section, section, List.of());
        }
        add(LISTEN, "listen NAME", List.of());
        add(POOL, "pool NAME", List.of());
        add("threads", "threads N (1..64)", List.of(GLOBAL));
        add("pipes-max", "pipes-max N (1..1000000)", List.of(GLOBAL));
        add("pipe-size", "pipe-size SIZE (4k..1g)", List.of(GLOBAL));
        add("max-transfers", "max-transfers N (1..1000000)", List.of(GLOBAL));
        add("handoff-socket", "handoff-socket PATH", List.of(GLOBAL));
        add("socket-group", "socket-group GROUP", List.of(GLOBAL));
        add("allow-uid", "allow-uid UID", List.of(GLOBAL));
        add("admin", "admin HOST:PORT", List.of(GLOBAL));
        add("idle-timeout", "idle-timeout DURATION", List.of(GLOBAL));
        add("grace", "grace DURATION", List.of(GLOBAL));
        add("admin-token-file", "admin-token-file PATH", List.of(GLOBAL));
        add("admin-insecure-ops", "admin-insecure-ops", List.of(GLOBAL));
        add("admin-socket", "admin-socket PATH", List.of(GLOBAL));
        add("balance", "balance roundrobin|leastconn|random|source|hash [src|uri|path|hdr(NAME)]|first", PROXY_SETTINGS);
        add("timeout", "timeout connect|client|server|tunnel|queue|check DURATION", PROXY_SETTINGS);
        add("retries", "retries N (0..100)", PROXY_SETTINGS);
        add("maxqueue", "maxqueue N (0..1000000)", PROXY_SETTINGS);
        add("option", "option httpchk [METHOD] PATH", PROXY_SETTINGS);
        add("http-check", "http-check expect status CODE", PROXY_SETTINGS);
        add("default-server", "default-server OPTION...", PROXY_SETTINGS);
        add("bind", "bind HOST:PORT", List.of(LISTEN));
        add("server", "server NAME HOST:PORT [OPTION...]", List.of(LISTEN, POOL));
        add("route", "route HOST:PORT", List.of(POOL));
    }

    private Keywords() {
    }

    private static void add(String keyword, String syntax, List<String> sections) {
        SYNTAX.put(keyword, syntax);
        SECTIONS.put(keyword, sections);
    }

    static boolean isSection(String keyword) {
        return keyword.equals(GLOBAL) || keyword.equals(DEFAULTS) || keyword.equals(LISTEN) || keyword.equals(POOL);
    }

    static boolean known(String keyword) {
        return SYNTAX.containsKey(keyword);
    }

    static String syntax(String keyword) {
        return SYNTAX.getOrDefault(keyword, keyword);
    }

    static List<String> sections(String keyword) {
        return SECTIONS.get(keyword);
    }

    /** The statement keywords a section accepts, for "did you mean". */
    static List<String> allowedIn(String section) {
        return SECTIONS.entrySet().stream()
                .filter(e -> e.getValue().isEmpty() || section == null || e.getValue().contains(section))
                .map(Map.Entry::getKey).toList();
    }

    /** " (did you mean 'X'?)" for the candidate nearest to {@code word}, or "" when none is near. */
    static String suggest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance (insert, delete, substitute). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
