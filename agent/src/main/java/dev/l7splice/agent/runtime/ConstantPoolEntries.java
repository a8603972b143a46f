package dev.l7splice.agent.runtime;

/**
 * The layout of a class file's constant pool, for the readers that walk it without parsing the
 * class (the copy-loop pass's first test, the preload's list of referenced classes): where the pool
 * starts, how many bytes each entry takes, and which entries take two slots. One table, so a tag a
 * later class file version adds is taught to both at once. Pure; any thread.
 */
public final class ConstantPoolEntries {

    /** Offset of the first entry (after magic, versions and the count). */
    public static final int FIRST = 10;

    private ConstantPoolEntries() {
    }

    /** True when {@code b} starts with a class file's magic and holds the pool's count. */
    public static boolean isClassFile(byte[] b) {
        return b.length >= FIRST && u2(b, 0) == 0xCAFE && u2(b, 2) == 0xBABE;
    }

    /** The pool's count (entries are numbered 1 to count - 1). */
    public static int count(byte[] b) {
        return u2(b, 8);
    }

    /** Bytes the entry at {@code at} takes, its tag included; -1 for a tag this table does not know. */
    public static int length(byte[] b, int at) {
        switch (tag(b, at)) {
            case 1: // Utf8: u2 length, bytes
                return 3 + u2(b, at + 1);
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                return 5;
            case 5: case 6: // Long, Double
                return 9;
            case 7: case 8: case 16: case 19: case 20:
                return 3;
            case 15:
                return 4;
            default:
                return -1;
        }
    }

    /** The tag of the entry at {@code at}. */
    public static int tag(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    /** True for a Long or Double entry's tag: it takes two slots of the count. */
    public static boolean takesTwoSlots(int tag) {
        return tag == 5 || tag == 6;
    }

    public static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
