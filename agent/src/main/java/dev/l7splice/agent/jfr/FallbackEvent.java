package dev.l7splice.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JDK's own code ran for a transfer the agent looked at, for {@link #reason}. At most one event
 * per reason per second ({@link ReasonThrottle}); {@link #count} says how many fallbacks of that
 * reason it stands for. The stack trace (on by default, off in l7splice.jfc) shows the caller.
 */
@Name("dev.l7splice.Fallback")
@Label("Fallback")
@Category("dev.l7splice")
@Description("A transfer left to the JDK's code, with the reason (rate-limited: one event per reason per second)")
@StackTrace(true)
public final class FallbackEvent extends jdk.jfr.Event {

    @Label("Reason")
    @Description("the agent's fallback reason, as in its counters: ssl, source-unsupported:CLASS, no-pipe, ...")
    String reason;

    @Label("Count")
    @Description("fallbacks of this reason since the previous event of it, this one included")
    long count;
}
