package dev.l7splice.engine;

import java.util.ArrayDeque;

/**
 * Byte arrays of one size for a relay loop's copies without a pipe, given back once written and
 * lent again, so a steady stream of chunks makes no garbage. At most {@code keep} idle arrays are
 * kept; beyond that a returned array is left to the garbage collector. Thread contract: one loop
 * thread only.
 */
final class ChunkPool {

    private final int size;
    private final int keep;
    private final ArrayDeque<byte[]> idle = new ArrayDeque<>();

    ChunkPool(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    byte[] acquire() {
        byte[] b = idle.pollFirst();
        return b != null ? b : new byte[size];
    }

    void release(byte[] chunk) {
        if (chunk.length == size && idle.size() < keep) {
            idle.addFirst(chunk);
        }
    }

    int idle() {
        return idle.size();
    }
}
