package dev.l7splice.agent.instrument.loops;

/**
 * The copy-loop pass's first test, run on every application class as it loads, before any
 * parsing: walks the class file's constant pool (and nothing after it) looking for the exact
 * strings a copy loop's calls need, {@code read} with {@code ([B)I} or {@code ([BII)I}, and
 * {@code write} with {@code ([BII)V}. A class without all of them cannot hold a loop the
 * rewriter would prove, so it is left at once; one with them goes on to the full parse. Only
 * {@code CONSTANT_Utf8} entries of the right lengths are compared. A class file it cannot walk
 * (truncated, an unknown tag) answers true, so the parser decides as before; bytes that are not a
 * class file at all answer false. Pure; any thread.
 */
final class ConstantPoolScan {

    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int READ_DESC = 4;
    private static final int WRITE_DESC = 8;
    private static final int ALL = READ | WRITE | READ_DESC | WRITE_DESC;

    private ConstantPoolScan() {
    }

    /** True when {@code b}'s constant pool holds every string a copy loop's calls need (or cannot be walked). */
    static boolean mayHoldCopyLoop(byte[] b) {
        try {
            if (u2(b, 0) != 0xCAFE || u2(b, 2) != 0xBABE) {
                return false; // not a class file
            }
            int count = u2(b, 8);
            int at = 10;
            int seen = 0;
            for (int i = 1; i < count; i++) {
                int tag = b[at] & 0xFF;
                switch (tag) {
                    case 1 -> { // Utf8: u2 length, bytes
                        int len = u2(b, at + 1);
                        seen |= match(b, at + 3, len);
                        if (seen == ALL) {
                            return true;
                        }
                        at += 3 + len;
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5;
                    case 5, 6 -> { // Long, Double: two slots
                        at += 9;
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> at += 3;
                    case 15 -> at += 4;
                    default -> {
                        return true; // a tag from a later class file version: let the parser judge
                    }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException e) {
            return true;
        }
    }

    private static int match(byte[] b, int at, int len) {
        switch (len) {
            case 4:
                return is(b, at, "read") ? READ : 0;
            case 5:
                return is(b, at, "write") ? WRITE : is(b, at, "([B)I") ? READ_DESC : 0;
            case 7:
                return is(b, at, "([BII)V") ? WRITE_DESC : is(b, at, "([BII)I") ? READ_DESC : 0;
            default:
                return 0;
        }
    }

    private static boolean is(byte[] b, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
