package dev.l7splice.agent.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings, read the way Java agents are usually configured. Precedence, highest
 * first: system property {@code -Dl7.<key>}, environment {@code L7_<KEY>} (dots and dashes become
 * underscores), agent argument {@code key=value,key=value}, default. Any unknown key or bad value
 * is a {@link ConfigException}: the installer prints it on one line and leaves the agent off.
 */
public final class AgentConfig {

    /**
     * Every key the agent understands but the {@code instrumentation.<name>.enabled} ones, with its
     * default; those come from the {@link Switch}es given to {@link #load}.
     */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("enabled", "true");
        DEFAULTS.put("offload", "inline");
        DEFAULTS.put("splice.min-bytes", "32k"); // measured with bench/min-bytes (README)
        DEFAULTS.put("sink.min-bytes", "256k"); // server response sinks; measured with bench/servers
        DEFAULTS.put("log.level", "warn");
        DEFAULTS.put("pipe.size", "1m");
        DEFAULTS.put("pipes.max", "256");
        DEFAULTS.put("relay.threads", "1");
        DEFAULTS.put("relay.idle-timeout-ms", "120000");
        DEFAULTS.put("relay.socket", "");
        DEFAULTS.put("report", "false");
        DEFAULTS.put("virtual-threads.poller", "auto");
    }

    public final boolean enabled;
    public final String offload;
    public final long spliceMinBytes;
    /**
     * {@code sink.min-bytes}: a body into a server's response stream (Tomcat, Jetty, Helidon,
     * com.sun.net.httpserver) whose length is known and below this stays entirely in user space.
     */
    public final long sinkMinBytes;
    public final AgentLog.Level logLevel;
    public final int pipeSize;
    public final int pipesMax;
    public final int relayThreads;
    public final long relayIdleTimeoutMillis;
    public final String relaySocket;
    /** {@code report=true}: list what each instrumentation found, rewrote or left, and why. */
    public final boolean report;
    /**
     * {@code virtual-threads.poller}: "auto" parks virtual threads on the JDK's own poller where it
     * is usable; "off" never does, and their socket transfers go to the in-process relay instead.
     */
    public final String virtualThreadsPoller;
    private final java.util.Set<String> disabledInstrumentations = new java.util.TreeSet<>();
    /** The names of the switches this config was loaded with. */
    private final java.util.Set<String> instrumentations = new java.util.HashSet<>();

    private AgentConfig(Map<String, Setting> s, java.util.List<? extends Switch> switches) {
        enabled = parseBoolean(s.get("enabled"));
        offload = oneOf(s.get("offload"), "inline", "inprocess", "sidecar");
        spliceMinBytes = parseSize(s.get("splice.min-bytes"), 0, Long.MAX_VALUE);
        sinkMinBytes = parseSize(s.get("sink.min-bytes"), 0, Long.MAX_VALUE);
        logLevel = parseLevel(s.get("log.level"));
        pipeSize = (int) parseSize(s.get("pipe.size"), 4096, 1L << 30);
        pipesMax = (int) parseSize(s.get("pipes.max"), 1, 1_000_000);
        relayThreads = (int) parseSize(s.get("relay.threads"), 1, 64);
        relayIdleTimeoutMillis = parseSize(s.get("relay.idle-timeout-ms"), 0, Long.MAX_VALUE);
        relaySocket = s.get("relay.socket").value;
        report = parseBoolean(s.get("report"));
        virtualThreadsPoller = oneOf(s.get("virtual-threads.poller"), "auto", "off");
        for (int i = 0; i < switches.size(); i++) {
            String name = switches.get(i).name();
            instrumentations.add(name);
            if (!parseBoolean(s.get(key(name)))) {
                disabledInstrumentations.add(name);
            }
        }
        if (offload.equals("sidecar") && relaySocket.isEmpty()) {
            throw s.get("relay.socket").bad("offload=sidecar needs relay.socket=PATH (the sidecar's --handoff-socket)");
        }
    }

    /** False when {@code instrumentation.<name>.enabled=false}; {@code name} must be one of the switches given to {@link #load}. */
    public boolean instrumentationEnabled(String name) {
        if (!instrumentations.contains(name)) {
            throw new IllegalArgumentException("no instrumentation named " + name);
        }
        return !disabledInstrumentations.contains(name);
    }

    /** The key that switches {@code name}: {@code instrumentation.<name>.enabled}. */
    public static String key(String name) {
        return "instrumentation." + name + ".enabled";
    }

    /**
     * Reads all sources; throws on the first unknown key or bad value. {@code switches} are the
     * agent's instrumentations ({@code instrument.targets.Instrumentations.ALL}): their keys, and no
     * other {@code instrumentation.*} key, are accepted.
     */
    public static AgentConfig load(String agentArgs, Map<String, String> env, Map<Object, Object> sysProps,
                                   java.util.List<? extends Switch> switches) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        // Plain loops, no lambdas, here and below: each lambda costs start-up time (bench/startup).
        for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
            settings.put(d.getKey(), new Setting(d.getKey(), d.getValue(), "default"));
        }
        for (int i = 0; i < switches.size(); i++) {
            String key = key(switches.get(i).name());
            settings.put(key, new Setting(key, switches.get(i).enabledByDefault() ? "true" : "false", "default"));
        }
        readAgentArgs(agentArgs, settings);
        readEnv(env, settings);
        readSysProps(sysProps, settings);
        return new AgentConfig(settings, switches);
    }

    private static void readAgentArgs(String args, Map<String, Setting> out) {
        if (args == null || args.isBlank()) {
            return;
        }
        for (String pair : args.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("agent argument '" + pair + "' is not key=value");
            }
            put(out, pair.substring(0, eq).trim(), pair.substring(eq + 1).trim(), "agent argument");
        }
    }

    private static void readEnv(Map<String, String> env, Map<String, Setting> out) {
        Map<String, String> envNames = new LinkedHashMap<>();
        for (String k : out.keySet()) { // every known key: each has its default in out
            envNames.put(envName(k), k);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("L7_")) {
                String key = envNames.get(name);
                if (key == null) {
                    throw new ConfigException("unknown environment variable " + name);
                }
                put(out, key, e.getValue().trim(), "environment " + name);
            }
        }
    }

    private static void readSysProps(Map<Object, Object> props, Map<String, Setting> out) {
        for (Map.Entry<Object, Object> e : props.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.startsWith("l7.")) {
                put(out, name.substring(3), String.valueOf(e.getValue()).trim(), "system property -D" + name);
            }
        }
    }

    static String envName(String key) {
        return "L7_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void put(Map<String, Setting> out, String key, String value, String source) {
        if (!out.containsKey(key)) { // out holds every known key from the start, with its default
            throw new ConfigException("unknown key '" + key + "' (" + source + "); known keys: " + out.keySet());
        }
        out.put(key, new Setting(key, value, source));
    }

    private static boolean parseBoolean(Setting s) {
        switch (s.value.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw s.bad("expected true or false");
        }
    }

    private static String oneOf(Setting s, String... allowed) {
        for (String a : allowed) {
            if (a.equals(s.value)) {
                return a;
            }
        }
        throw s.bad("expected one of " + String.join(", ", allowed));
    }

    private static AgentLog.Level parseLevel(Setting s) {
        try {
            return AgentLog.Level.valueOf(s.value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw s.bad("expected off, error, warn, info or debug");
        }
    }

    /** A byte count or number: digits with an optional k, m or g suffix (powers of 1024). */
    static long parseSize(Setting s, long min, long max) {
        String v = s.value.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k")) {
            unit = 1L << 10;
        } else if (v.endsWith("m")) {
            unit = 1L << 20;
        } else if (v.endsWith("g")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw s.bad("expected a number with an optional k, m or g suffix");
        }
        if (n < min || n > max) {
            throw s.bad("must be between " + min + " and " + max);
        }
        return n;
    }

    @Override
    public String toString() {
        return "enabled=" + enabled + ", offload=" + offload + ", splice.min-bytes=" + spliceMinBytes + ", sink.min-bytes=" + sinkMinBytes
                + ", log.level=" + logLevel.name().toLowerCase(Locale.ROOT) + ", pipe.size=" + pipeSize
                + ", pipes.max=" + pipesMax + ", relay.threads=" + relayThreads
                + ", relay.idle-timeout-ms=" + relayIdleTimeoutMillis
                + (relaySocket.isEmpty() ? "" : ", relay.socket=" + relaySocket)
                + (report ? ", report=true" : "")
                + (virtualThreadsPoller.equals("auto") ? "" : ", virtual-threads.poller=" + virtualThreadsPoller)
                + (disabledInstrumentations.isEmpty() ? "" : ", instrumentations off=" + disabledInstrumentations);
    }

    private static final class Setting {
        final String key;
        final String value;
        final String source;

        Setting(String key, String value, String source) {
            this.key = key;
            this.value = value;
            this.source = source;
        }

        ConfigException bad(String why) {
            return new ConfigException(key + "=" + value + " (" + source + "): " + why);
        }
    }

    /** A configuration error; its message is the one line printed at startup. */
    public static final class ConfigException extends RuntimeException {
        ConfigException(String message) {
            super(message);
        }
    }
}
