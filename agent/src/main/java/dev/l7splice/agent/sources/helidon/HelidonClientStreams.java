package dev.l7splice.agent.sources.helidon;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sources.Fallbacks;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.Socket;

/**
 * Recognises Helidon 4 WebClient HTTP/1.1 response bodies by class name (the agent never loads
 * Helidon): {@code response.inputStream()} is an {@code io.helidon.http.media.ReadableEntityBase
 * $RequestingInputStream} whose {@code bufferFunction} is the response's {@code readBytes} (a method
 * reference: its receiver, an {@code Http1ClientResponseImpl}, is its captured {@code arg$1}); the
 * response's {@code inputStream} must be exactly the {@code Http1CallChainBase$ContentLengthInputStream}
 * (a declared length, no content decoding), whose {@code socket} is the connection's {@code
 * PlainSocket} over a plain JDK socket, not idling (its {@code IdleInputStream} holds no byte and
 * runs no monitor), and whose receive listener is off ({@code enabled()} false: Helidon's protocol
 * log below DEBUG, or none). Anything else keeps Helidon's code, the reason counted: chunked or
 * decoded bodies and the server's own request entities ({@code source-unsupported:<class>}), TLS
 * ({@code helidon-tls}), a finished or idling stream ({@code helidon-client-state}), an active
 * listener ({@code helidon-listener:<class>}). Stateless; thread-safe.
 */
public final class HelidonClientStreams {

    static final String REQUESTING = "io.helidon.http.media.ReadableEntityBase$RequestingInputStream";
    private static final String RESPONSE = "io.helidon.webclient.http1.Http1ClientResponseImpl";
    private static final String LENGTH = "io.helidon.webclient.http1.Http1CallChainBase$ContentLengthInputStream";
    private static final String PLAIN = "io.helidon.common.socket.PlainSocket";
    private static final String IDLE = "io.helidon.common.socket.IdleInputStream";

    private HelidonClientStreams() {
    }

    /** Cheap: a class-name test. */
    public static boolean recognises(InputStream in) {
        return in.getClass().getName().equals(REQUESTING);
    }

    /** The source behind a recognised stream, or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in) {
        try {
            Object response = receiver(Fields.get(in, "bufferFunction"));
            if (response == null || !response.getClass().getName().equals(RESPONSE)) {
                hook.unsupported("source-unsupported:", in.getClass()); // a server request entity, or another function
                return null;
            }
            Object body = Fields.get(response, "inputStream");
            if (body == null || !body.getClass().getName().equals(LENGTH)) {
                hook.unsupported("source-unsupported:", body == null ? in.getClass() : body.getClass());
                return null;
            }
            if ((boolean) Fields.get(in, "finished") || (boolean) Fields.get(body, "finished")) {
                return none(hook, "helidon-client-state");
            }
            ClassLoader loader = body.getClass().getClassLoader();
            Object listener = Fields.get(body, "recvListener");
            Method enabled = Class.forName("io.helidon.http.http1.Http1ConnectionListener", false, loader).getMethod("enabled");
            if ((boolean) enabled.invoke(listener)) {
                return none(hook, "helidon-listener:" + listener.getClass().getName());
            }
            Object helidonSocket = Fields.get(body, "socket");
            if (helidonSocket == null || !helidonSocket.getClass().getName().equals(PLAIN)) {
                String type = helidonSocket == null ? "none" : helidonSocket.getClass().getName();
                return none(hook, type.contains(".Tls") ? "helidon-tls" : "helidon-socket:" + type);
            }
            Object idle = Fields.get(helidonSocket, "inputStream");
            if (idle == null || !idle.getClass().getName().equals(IDLE) || (int) Fields.get(idle, "next") >= 0
                    || Fields.get(idle, "idlingThread") != null) {
                return none(hook, "helidon-client-state");
            }
            InputStream raw = (InputStream) Fields.get(idle, "upstream");
            Socket s = (Socket) Fields.get(helidonSocket, "delegate");
            if (raw == null || raw.getClass() != JdkSockets.socketIn || JdkSockets.socketOfInput(raw) != s) {
                hook.unsupported("source-unsupported:", raw == null ? idle.getClass() : raw.getClass());
                return null;
            }
            SocketBackedSource.Readable r = SocketBackedSource.readable(hook, s);
            if (r == null) {
                return null;
            }
            Class<?> bufferData = Class.forName("io.helidon.common.buffers.BufferData", false, loader);
            return new HelidonClientSource(in, body, Fields.get(body, "reader"), bufferData, raw, r);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            hook.refuse("helidon-internals", e.toString());
            return null;
        }
    }

    /** The object a bound method reference captured (its {@code arg$1}), or null for any other function. */
    private static Object receiver(Object function) throws ReflectiveOperationException {
        try {
            return function == null ? null : Fields.get(function, "arg$1");
        } catch (NoSuchFieldException notBound) {
            return null;
        }
    }

    private static SourceEnd none(Fallbacks hook, String reason) {
        hook.fallback(reason);
        return null;
    }
}
