package dev.l7splice.engine;

/**
 * Where the engine's few lines go (a relay loop that meets a bug and goes on). The engine depends on
 * no logging library: the process binds a {@link Sink} at start, the agent its own quiet stderr
 * logger (the application's logging is never touched), the sidecar slf4j. Until then, and after
 * {@code bind(null)}, warnings and errors go to stderr as the agent prints them by default
 * ("l7splice error: ..."), info is dropped. Thread-safe: any loop thread logs; the sink is a
 * volatile field, so a bind is seen by the next line.
 */
public final class EngineLog {

    /** A destination for the engine's lines; called from any thread, must not throw. */
    public interface Sink {
        void info(String msg);

        void warn(String msg);

        /** {@code t} may be null. */
        void error(String msg, Throwable t);
    }

    private static final Sink STDERR = new Stderr();
    private static volatile Sink sink = STDERR;

    private EngineLog() {
    }

    /** Sends every later line to {@code s}; null restores the stderr default. */
    public static void bind(Sink s) {
        sink = s == null ? STDERR : s;
    }

    public static void info(String msg) {
        sink.info(msg);
    }

    public static void warn(String msg) {
        sink.warn(msg);
    }

    public static void error(String msg) {
        sink.error(msg, null);
    }

    public static void error(String msg, Throwable t) {
        sink.error(msg, t);
    }

    /** The default: what the agent's logger prints at its default level (warn). */
    private static final class Stderr implements Sink {
        @Override
        public void info(String msg) {
        }

        @Override
        public void warn(String msg) {
            System.err.println("l7splice warn: " + msg);
        }

        @Override
        public void error(String msg, Throwable t) {
            System.err.println("l7splice error: " + msg + (t == null ? "" : " (" + t + ")"));
        }
    }
}
