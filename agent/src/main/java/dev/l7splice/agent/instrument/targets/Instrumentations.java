package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.EndSwitches;
import java.util.List;

/**
 * Every switchable target, one class each; its name is its {@code instrumentation.<name>.enabled}
 * key, and this order is the keys' order in {@link AgentConfig} (docs/agent.md lists them).
 */
public final class Instrumentations {

    public static final List<Target> ALL = List.of(
            new InputStreamTransferToInstrumentation(), // transfer-to: InputStream.transferTo between JDK socket streams
            new FileTransferInstrumentation(),          // file-transfer
            new HttpServerInstrumentation(),            // httpserver
            new TomcatInstrumentation(),                // tomcat
            new JettyInstrumentation(),                 // jetty
            new HelidonInstrumentation(),               // helidon
            new HttpUrlConnectionInstrumentation(),     // httpurlconnection
            new HttpEntityWriteToInstrumentation(),     // httpclient: sources, and HttpEntity.writeTo
            new CommonsIoCopyInstrumentation(),         // commons-io
            new GuavaCopyInstrumentation(),             // guava
            new SpringStreamUtilsInstrumentation(),     // spring
            new SpringWrappersInstrumentation(),        // spring-wrappers
            new CopyLoopInstrumentation(),              // copy-loop
            new ApiInstrumentation(),                   // api
            new ConnectRouteInstrumentation());         // connect-route (offload=sidecar)

    private Instrumentations() {
    }

    /** The ends {@code config} switches on (the {@link Target.Phase#ENDS} phase alone), for a hook built without an installer. */
    public static EndSwitches ends(AgentConfig config) throws Exception {
        Installation at = new Installation(null, config, null);
        at.run(ALL, Target.Phase.ENDS);
        return at.ends;
    }
}
