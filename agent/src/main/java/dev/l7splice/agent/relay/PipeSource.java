package dev.l7splice.agent.relay;

/** Where relayed transfers borrow pipes from; returns null when none can be had right now. */
public interface PipeSource {

    RelayedTransfer.PipeLease acquire();

    /** Gives back a pipe; the source checks it is empty before anyone else gets it. */
    void release(RelayedTransfer.PipeLease pipe);

    /** Gives back a pipe the caller knows is empty (it counted every byte out): no check needed. */
    default void releaseEmpty(RelayedTransfer.PipeLease pipe) {
        release(pipe);
    }
}
