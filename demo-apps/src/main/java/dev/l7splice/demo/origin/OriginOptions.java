package dev.l7splice.demo.origin;

import dev.l7splice.demo.cli.CliArgs;
import java.util.Set;

/** Settings of one {@link OriginServer}. Immutable. */
public final class OriginOptions {

    public static final String USAGE = String.join("\n",
            "usage: java -cp l7demo.jar dev.l7splice.demo.origin.OriginServer [options]",
            "  --port N       listen port (default 9001; 0 = ephemeral)",
            "  --bind ADDR    listen address (default 127.0.0.1)",
            "  --name NAME    value of the X-Origin response header (default origin)",
            "  --help         this text",
            "Endpoints: GET /bytes/{n}[?sha=0], GET /health, POST /sink.",
            "Prints 'READY port=<port>' on stdout once listening.");

    final int port;
    final String bind;
    final String name;

    public OriginOptions(int port, String bind, String name) {
        this.port = port;
        this.bind = bind;
        this.name = name;
    }

    /** Ephemeral port on 127.0.0.1, for in-process use. */
    public static OriginOptions ephemeral(String name) {
        return new OriginOptions(0, "127.0.0.1", name);
    }

    static OriginOptions parse(String[] args) {
        CliArgs cli = CliArgs.parse(args, Set.of("port", "bind", "name"), Set.of("help"));
        return new OriginOptions(cli.intValue("port", 9001, 0, 65535),
                cli.get("bind", "127.0.0.1"), cli.get("name", "origin"));
    }

    static boolean wantsHelp(String[] args) {
        return CliArgs.wantsHelp(args);
    }
}
