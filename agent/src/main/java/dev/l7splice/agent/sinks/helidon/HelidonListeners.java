package dev.l7splice.agent.sinks.helidon;

import dev.l7splice.agent.ends.Fields;
import java.util.List;

/**
 * Helidon's HTTP/1.1 send listeners, which its stream hands every buffer it writes ({@code
 * data(ctx, buffer)}). Bytes moved in the kernel are never seen by a listener, so the kernel may
 * write only when the listener would do nothing with them: none configured (its no-op listener), or
 * its protocol log (installed by default, {@code send-log}) whose logger is not at TRACE, the only
 * level at which it logs data. A list of listeners is inert when each of them is. Anything else, a
 * listener of the application's, is named and the body stays Helidon's. Stateless; thread-safe.
 */
final class HelidonListeners {

    private static final String PKG = "io.helidon.webserver.http1.";
    private static final String NO_OP = PKG + "Http1ConnectionListenerUtil$NoOpFrameListener";
    private static final String LIST = PKG + "Http1ConnectionListenerUtil$ListFrameListener";
    private static final String LOGGING = PKG + "Http1LoggingConnectionListener";
    private static final String LOGGING_CORE = "io.helidon.http.http1.Http1LoggingConnectionListener";

    private HelidonListeners() {
    }

    /** Null when {@code listener} would ignore the body's data; otherwise the type that would not. */
    static String activeType(Object listener) throws ReflectiveOperationException {
        if (HelidonResolver.typeIs(listener, NO_OP)) {
            return null;
        }
        if (HelidonResolver.typeIs(listener, LOGGING)) {
            Object core = Fields.get(listener, "delegate");
            if (!HelidonResolver.typeIs(core, LOGGING_CORE)) {
                return HelidonResolver.typeOf(core);
            }
            System.Logger logger = (System.Logger) Fields.get(core, "logger");
            return logger.isLoggable(System.Logger.Level.TRACE) ? LOGGING : null;
        }
        if (HelidonResolver.typeIs(listener, LIST)) {
            for (Object each : (List<?>) Fields.get(listener, "delegates")) {
                String active = activeType(each);
                if (active != null) {
                    return active;
                }
            }
            return null;
        }
        return HelidonResolver.typeOf(listener);
    }
}
