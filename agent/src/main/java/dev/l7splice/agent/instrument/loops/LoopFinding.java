package dev.l7splice.agent.instrument.loops;

/**
 * What the recogniser concluded about one read/write loop: rewritten ({@code loop != null}) or
 * left with a reason. One per loop found, in bytecode order.
 */
record LoopFinding(String method, int line, CopyLoop loop, String key, String reason) {

    static LoopFinding proven(String method, CopyLoop loop) {
        return new LoopFinding(method, loop.line(), loop, null, null);
    }

    /** {@code key}: short and fixed, counted as the fallback {@code copy-loop-left:KEY}. */
    static LoopFinding left(String method, int line, String key, String reason) {
        return new LoopFinding(method, line, null, key, reason);
    }

    boolean rewritable() {
        return loop != null;
    }
}
