package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.util.List;

/**
 * Targets: the l7splice-api jar's {@code dev.l7splice.api.L7Splice.routed(client, head, pool)}
 * (route hand-off to the sidecar's pool) and {@code L7Splice.offloaded(in, out, n)}, the one
 * point both {@code splice} and {@code sendFile} pass through. Its own body returns -1 ("copy it
 * yourself"); the prologue returns the count the agent moved instead: bounded for {@code n >= 0},
 * to end of stream for {@code n < 0}. {@code sendFile} passes a {@code FileInputStream} positioned
 * at the offset, so whatever the hook learns to do with file streams applies here unchanged.
 * {@code routed} returns true when the relay took the connection; else the API's fallback connects.
 */
public final class ApiInstrumentation extends Target {

    static final String TYPE = "dev.l7splice.api.L7Splice";

    public ApiInstrumentation() {
        super("api", Phase.LIBRARIES);
    }

    @Override
    public void install(Installation at) throws Exception {
        at.weaveByName(TYPE, hooks());
    }

    public static List<MethodHook> hooks() {
        return List.of(
                MethodHook.library("offloaded", "(Ljava/io/InputStream;Ljava/io/OutputStream;J)J",
                        "apiOffloaded", "(Ljava/io/InputStream;Ljava/io/OutputStream;J)J",
                        MethodHook.Outcome.RETURN_COUNT, "0", "1", "2"),
                MethodHook.dispatch("routed", "(Ljava/net/Socket;[BLjava/lang/String;)Z",
                        "route", "(Ljava/net/Socket;[BLjava/lang/String;)Z",
                        MethodHook.Outcome.RETURN_IF_TRUE, "0", "1", "2"));
    }
}
