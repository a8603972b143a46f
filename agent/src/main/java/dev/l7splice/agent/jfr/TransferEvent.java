package dev.l7splice.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One transfer the agent took ({@code transferTo}, a library copy, a copy loop, the api jar): its
 * duration is the call's. In a hand-off mode the call ends at the hand-off, so the event counts
 * what the application's thread moved (the prefix it held); the relay's final count is in the
 * agent's counters and its debug log.
 */
@Name("dev.l7splice.Transfer")
@Label("Transfer")
@Category("dev.l7splice")
@Description("A body the l7splice agent moved (or handed to a relay) instead of the JDK's copy loop")
@StackTrace(false)
public final class TransferEvent extends jdk.jfr.Event {

    @Label("Source")
    @Description("socket, buffered (a BufferedInputStream over a socket), file, or the stream's class")
    String source;

    @Label("Sink")
    @Description("socket, buffered (a BufferedOutputStream over a socket), httpserver, or the stream's class")
    String sink;

    @Label("Mode")
    @Description("inline (moved on the calling thread), inprocess or sidecar (handed to that relay)")
    String mode;

    @Label("Bounded")
    @Description("a counted transfer (the api jar's splice with a length, a library range copy): always inline")
    boolean bounded;

    @Label("Kernel Bytes")
    @Description("bytes moved by splice(2) or sendfile(2) during the call")
    @DataAmount
    long kernelBytes;

    @Label("Copied Bytes")
    @Description("bytes written from user space: buffered prefixes, bodies under splice.min-bytes")
    @DataAmount
    long copiedBytes;

    @Label("Outcome")
    @Description("done, handed-off, or failed: the exception")
    String outcome;
}
