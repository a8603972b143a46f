package dev.l7splice.it.soak;

import dev.l7splice.it.support.AcceptLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;

/**
 * The forwarder of the soak, written the way a widely copied TCP forwarder is (and the way
 * issue 10 found hand-offs losing bodies): a thread per direction, each {@code in.transferTo(out)}
 * then {@code shutdownOutput()} of its destination; the connection's thread joins both and closes
 * both sockets. Knows nothing about l7splice. Runs as its own JVM: {@code SoakForwarder BACKEND_PORT
 * [virtual]} prints {@code READY port=N}.
 */
public final class SoakForwarder {

    private SoakForwarder() {
    }

    public static void main(String[] args) throws IOException {
        int backendPort = Integer.parseInt(args[0]);
        ThreadFactory threads = args.length > 1 && args[1].equals("virtual") ? virtual() : Thread::new;
        AcceptLoop.serveForever(512, "forward", client -> forward(client, backendPort, threads));
    }

    private static void forward(Socket client, int backendPort, ThreadFactory threads) {
        try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            Thread up = threads.newThread(() -> pump(client, backend));
            Thread down = threads.newThread(() -> pump(backend, client));
            up.start();
            down.start();
            up.join();
            down.join();
        } catch (IOException | InterruptedException e) {
            // the connection is over; the soak classifies what the peers saw
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // a reset or a closed socket: this direction is over
        }
    }

    /** Java 21+: one virtual thread per direction (Thread.ofVirtual by reflection; this compiles for 17). */
    private static ThreadFactory virtual() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) builder.getClass().getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21+", e);
        }
    }
}
