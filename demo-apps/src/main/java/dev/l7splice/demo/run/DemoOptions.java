package dev.l7splice.demo.run;

import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.UsageException;
import java.util.Set;

/** The demo's command line. Immutable. */
public final class DemoOptions {

    public static final String USAGE = String.join("\n",
            "usage: bin/demo [options]    (or: java -jar demo-apps/target/l7demo.jar [options])",
            "Starts an origin and four copies of a legacy-style Java gateway in front of it, one at a",
            "time: without the l7splice agent, then with it in each offload mode (inline: the calling",
            "thread splices; inprocess: a relay loop in the gateway's JVM; sidecar: a separate relay",
            "process, l7relay.jar, started and stopped by the demo). Sends the same large body through",
            "each, checks every SHA-256, and prints throughput, gateway and relay CPU per GB and the",
            "bytes moved by splice(2) side by side. Then the same body through a Spring Boot 4 MVC proxy",
            "controller (module demo-spring, its own JVM and class path; skipped, saying why, when it is",
            "not built), without and with the agent. Then the same body as a file from a small server on",
            "com.sun.net.httpserver, without and with the agent (sendfile(2)). Last, balancing: a",
            "gateway whose one backend address is the route of a relay pool of three origins (agent",
            "offload=sidecar); its requests spread over the three, and none fails when one is stopped.",
            "  --agent PATH     the agent jar (default: agent/target/l7agent.jar, looked up from the",
            "                   working directory, then from the demo jar's location)",
            "  --relay PATH     the sidecar relay jar (default: relay-sidecar/target/l7relay.jar,",
            "                   looked up the same way)",
            "  --size SIZE      body size per request, with k/m/g suffixes (default 1g)",
            "  --keep-running   afterwards leave every server (origin, gateways, Spring apps, file",
            "                   servers) and the relay running, print their ports and curl examples,",
            "                   and wait for Ctrl-C",
            "  --help           this text");

    public static final long DEFAULT_SIZE = 1L << 30;

    public final String agentPath;
    public final String relayPath;
    public final long size;
    public final boolean keepRunning;
    public final boolean help;

    private DemoOptions(String agentPath, String relayPath, long size, boolean keepRunning, boolean help) {
        this.agentPath = agentPath;
        this.relayPath = relayPath;
        this.size = size;
        this.keepRunning = keepRunning;
        this.help = help;
    }

    public static DemoOptions parse(String[] args) {
        if (CliArgs.wantsHelp(args)) {
            return new DemoOptions(null, null, DEFAULT_SIZE, false, true);
        }
        CliArgs cli = CliArgs.parse(args, Set.of("agent", "relay", "size"), Set.of("keep-running", "help"));
        long size = cli.sizeValue("size", DEFAULT_SIZE);
        if (size < 1) {
            throw new UsageException("--size must be at least 1 byte");
        }
        return new DemoOptions(cli.get("agent", null), cli.get("relay", null), size, cli.has("keep-running"), false);
    }
}
