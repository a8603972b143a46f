package dev.l7splice.agent.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own tiny logger, to stderr with an "l7splice:" prefix. The agent deliberately does not
 * use the application's logging framework (nor configure a shaded one): touching logging at
 * premain time changes what the application sees when it sets its own up.
 */
public final class AgentLog {

    public enum Level { OFF, ERROR, WARN, INFO, DEBUG }

    private static volatile Level level = Level.WARN;
    private static final Set<String> SAID_ONCE = ConcurrentHashMap.newKeySet();

    private AgentLog() {
    }

    public static void setLevel(Level l) {
        level = l;
    }

    public static boolean enabled(Level l) {
        return l != Level.OFF && l.ordinal() <= level.ordinal();
    }

    public static void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    /** Logs at debug level the first time a given key is seen, never again. */
    public static void debugOnce(String key, String msg) {
        if (enabled(Level.DEBUG) && SAID_ONCE.add(key)) {
            log(Level.DEBUG, msg);
        }
    }

    public static void info(String msg) {
        log(Level.INFO, msg);
    }

    public static void warn(String msg) {
        log(Level.WARN, msg);
    }

    public static void error(String msg) {
        log(Level.ERROR, msg);
    }

    private static void log(Level l, String msg) {
        if (enabled(l)) {
            System.err.println("l7splice " + l.name().toLowerCase() + ": " + msg);
        }
    }
}
