package dev.l7splice.it.soak;

import java.util.Random;

/**
 * What one soak transfer does, drawn from a seed (so a failure replays with the same seed and
 * id): the sizes of the download and the upload (many near the edges that matter: 8 KiB, the
 * 32 KiB of splice.min-bytes, 1 MiB), whether the client half-closes after its upload, reads
 * slowly or pauses, and which fault, if any, is asked for and where.
 */
record SoakPlan(long id, long download, long upload, boolean halfClose, boolean slowReader, boolean pause,
                Fault fault, long faultAt) {

    enum Fault { NONE, SERVER_RESET, CLIENT_RESET }

    static SoakPlan draw(long seed, long id, long maxSize) {
        return draw(seed, id, maxSize, true);
    }

    /** {@code faults} false: no fault is ever asked for (the draws are otherwise the same). */
    static SoakPlan draw(long seed, long id, long maxSize, boolean faults) {
        Random r = new Random(seed * 1_000_003L + id);
        long down = size(r, maxSize);
        long up = r.nextBoolean() ? 0 : size(r, maxSize);
        int f = r.nextInt(100);
        Fault fault = !faults ? Fault.NONE : f < 2 ? Fault.SERVER_RESET : f < 3 ? Fault.CLIENT_RESET : Fault.NONE;
        long at = down == 0 ? 0 : (long) (r.nextDouble() * down);
        return new SoakPlan(id, down, up, r.nextBoolean(), r.nextInt(10) == 0, r.nextInt(20) == 0, fault, at);
    }

    private static long size(Random r, long max) {
        int kind = r.nextInt(20);
        long edge = switch (kind) {
            case 0, 1, 2, 3 -> 8 << 10;
            case 4, 5, 6, 7, 8 -> 32 << 10;
            case 9, 10, 11 -> 1 << 20;
            default -> -1;
        };
        if (kind == 12) {
            return r.nextInt(100);
        }
        if (edge < 0) {
            return (long) (r.nextDouble() * max);
        }
        return Math.min(max, Math.max(0, edge + r.nextInt(7) - 3));
    }
}
