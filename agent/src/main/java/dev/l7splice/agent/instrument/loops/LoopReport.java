package dev.l7splice.agent.instrument.loops;

import java.io.PrintStream;

/**
 * {@code report=true}: one line per copy loop found, on stderr whatever {@code log.level} says
 * (the user asked for the list), e.g.
 * {@code l7splice report: copy-loop com.example.Proxy.pump line 42: rewritten}. Thread-safe
 * (println is atomic per line).
 */
final class LoopReport {

    private final PrintStream err;

    LoopReport(PrintStream err) {
        this.err = err;
    }

    void print(CopyLoopRewriter.Result result) {
        for (LoopFinding f : result.findings()) {
            err.println(line(result.className(), f));
        }
    }

    static String line(String internalName, LoopFinding f) {
        return "l7splice report: copy-loop " + internalName.replace('/', '.') + "." + f.method()
                + " line " + f.line() + ": " + (f.rewritable() ? "rewritten" : "left, " + f.reason());
    }
}
