package dev.l7splice.agent.transfer;

import dev.l7splice.agent.bootstrap.TransferHook;

/**
 * The agent's real socket hook and its byte counters for the copy-loop tests in {@code instrument.loops}
 * (a test-only public face of {@link HookFixture}: those tests run rewritten loops against it).
 */
public final class LoopHookFixture {

    private final HookFixture fixture = new HookFixture();

    /** The hook built from agent arguments such as {@code splice.min-bytes=0}. */
    public TransferHook hook(String args) {
        return fixture.hook(args);
    }

    public long bytesSpliced() {
        return fixture.counters.bytesSpliced.sum();
    }

    public long bytesCopied() {
        return fixture.counters.bytesCopied.sum();
    }
}
