package dev.l7splice.kernel;

/** A pipe borrowed from a {@link PipeSource} while bytes are in flight; owned by one thread at a time. */
public interface PipeLease {
    int readFd();

    int writeFd();

    int capacity();
}
