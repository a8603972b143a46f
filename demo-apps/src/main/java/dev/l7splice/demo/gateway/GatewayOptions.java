package dev.l7splice.demo.gateway;

import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Settings of one {@link Gateway}. Immutable. */
public final class GatewayOptions {

    public static final String USAGE = String.join("\n",
            "usage: java -cp l7demo.jar dev.l7splice.demo.gateway.Gateway --backend HOST:PORT [options]",
            "  --backend HOST:PORT  a backend; repeat for several (round-robin per request)",
            "  --port N             listen port (default 8080; 0 = ephemeral)",
            "  --bind ADDR          listen address (default 127.0.0.1)",
            "  --threads N          0 = a new thread per connection (default);",
            "                       N > 0 = a fixed pool of N handler threads",
            "  --virtual-threads    each connection (and upload pump) on a virtual thread (Java 21+);",
            "                       not with --threads",
            "  --help               this text",
            "Prints 'READY port=<port>' on stdout once listening.");

    final int port;
    final String bind;
    final List<Backend> backends;
    final int threads;
    final boolean virtualThreads;

    /** A backend address as given; resolved on every connect, as legacy gateways do. */
    public record Backend(String host, int port) {

        static Backend parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new UsageException("--backend needs HOST:PORT, not '" + text + "'");
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Backend(text.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new UsageException("bad port in --backend '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public GatewayOptions(int port, String bind, List<Backend> backends, int threads) {
        this(port, bind, backends, threads, false);
    }

    public GatewayOptions(int port, String bind, List<Backend> backends, int threads, boolean virtualThreads) {
        if (backends.isEmpty()) {
            throw new UsageException("at least one --backend is needed");
        }
        this.port = port;
        this.bind = bind;
        this.backends = List.copyOf(backends);
        this.threads = threads;
        this.virtualThreads = virtualThreads;
        if (virtualThreads && threads > 0) {
            throw new UsageException("--virtual-threads and --threads exclude each other");
        }
        if (virtualThreads && !dev.l7splice.demo.VirtualThreads.available()) {
            throw new UsageException("--virtual-threads needs Java 21 or later (this is " + Runtime.version() + ")");
        }
    }

    /** Ephemeral port on 127.0.0.1 in front of one local backend, for in-process use. */
    public static GatewayOptions ephemeral(int backendPort, int threads) {
        return new GatewayOptions(0, "127.0.0.1", List.of(new Backend("127.0.0.1", backendPort)), threads);
    }

    static GatewayOptions parse(String[] args) {
        CliArgs cli = CliArgs.parse(args, Set.of("port", "bind", "backend", "threads"), Set.of("help", "virtual-threads"));
        List<Backend> backends = new ArrayList<>();
        for (String b : cli.all("backend")) {
            backends.add(Backend.parse(b));
        }
        return new GatewayOptions(cli.intValue("port", 8080, 0, 65535), cli.get("bind", "127.0.0.1"),
                backends, cli.intValue("threads", 0, 0, 10_000), cli.has("virtual-threads"));
    }

    static boolean wantsHelp(String[] args) {
        return CliArgs.wantsHelp(args);
    }
}
