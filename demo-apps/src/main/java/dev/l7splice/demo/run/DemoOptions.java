package dev.l7splice.demo.run;

import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.UsageException;
import java.util.Set;

/** The demo's command line. Immutable. */
public final class DemoOptions {

    public static final String USAGE = String.join("\n",
            "usage: bin/demo [options]    (or: java -jar demo-apps/target/l7demo.jar [options])",
            "Starts an origin and two copies of a legacy-style Java gateway in front of it, one",
            "without and one with the l7splice agent, sends the same large body through each and",
            "prints throughput, gateway CPU per GB and bytes moved by splice(2) side by side.",
            "  --agent PATH     the agent jar (default: agent/target/l7agent.jar, looked up from the",
            "                   working directory, then from the demo jar's location)",
            "  --size SIZE      body size per request, with k/m/g suffixes (default 1g)",
            "  --keep-running   afterwards leave the origin and both gateways running, print",
            "                   their ports and curl examples, and wait for Ctrl-C",
            "  --help           this text");

    public static final long DEFAULT_SIZE = 1L << 30;

    public final String agentPath;
    public final long size;
    public final boolean keepRunning;
    public final boolean help;

    private DemoOptions(String agentPath, long size, boolean keepRunning, boolean help) {
        this.agentPath = agentPath;
        this.size = size;
        this.keepRunning = keepRunning;
        this.help = help;
    }

    public static DemoOptions parse(String[] args) {
        if (CliArgs.wantsHelp(args)) {
            return new DemoOptions(null, DEFAULT_SIZE, false, true);
        }
        CliArgs cli = CliArgs.parse(args, Set.of("agent", "size"), Set.of("keep-running", "help"));
        long size = cli.sizeValue("size", DEFAULT_SIZE);
        if (size < 1) {
            throw new UsageException("--size must be at least 1 byte");
        }
        return new DemoOptions(cli.get("agent", null), size, cli.has("keep-running"), false);
    }
}
