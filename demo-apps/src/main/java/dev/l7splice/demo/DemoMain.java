package dev.l7splice.demo;

import dev.l7splice.demo.cli.UsageException;
import dev.l7splice.demo.run.DemoFiles;
import dev.l7splice.demo.run.DemoOptions;
import dev.l7splice.demo.run.DemoSession;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code java -jar l7demo.jar}: the demo in one command. Starts an origin and a legacy-style
 * gateway without the l7splice agent, then with it in each offload mode (inline, inprocess, and
 * sidecar with the relay process l7relay.jar), pushes the same verified body through each and
 * prints the comparison. Exit codes: 0 all checksums ok, 1 a check failed, 2 bad usage or no agent
 * or relay jar, 3 the demo could not run.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("l7demo: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        Optional<Path> agent = DemoFiles.findAgent(options.agentPath);
        if (agent.isEmpty()) {
            System.err.println("l7demo: the agent jar was not found; looked at: "
                    + DemoFiles.agentCandidates(options.agentPath).stream().map(Path::toString)
                            .collect(Collectors.joining(", ")));
            System.err.println("l7demo: build it with 'mvn -q -DskipTests package' at the repository root,"
                    + " or pass --agent PATH");
            System.exit(2);
            return;
        }
        Optional<Path> relay = DemoFiles.findRelay(options.relayPath);
        if (relay.isEmpty()) {
            System.err.println("l7demo: the relay jar (for offload=sidecar) was not found; looked at: "
                    + DemoFiles.relayCandidates(options.relayPath).stream().map(Path::toString)
                            .collect(Collectors.joining(", ")));
            System.err.println("l7demo: build it with 'mvn -q -DskipTests package' at the repository root,"
                    + " or pass --relay PATH");
            System.exit(2);
            return;
        }
        int code;
        try (DemoSession session = new DemoSession(options, agent.get(), relay.get(), System.out)) {
            code = session.run();
        } catch (Exception e) {
            System.err.println("l7demo: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            code = 3;
        }
        System.out.flush();
        System.exit(code);
    }
}
