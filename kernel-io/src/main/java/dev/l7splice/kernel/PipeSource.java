package dev.l7splice.kernel;

/** Where relayed transfers borrow pipes from; returns null when none can be had right now. */
public interface PipeSource {

    PipeLease acquire();

    /** Gives back a pipe; the source checks it is empty before anyone else gets it. */
    void release(PipeLease pipe);

    /** Gives back a pipe the caller knows is empty (it counted every byte out): no check needed. */
    default void releaseEmpty(PipeLease pipe) {
        release(pipe);
    }
}
