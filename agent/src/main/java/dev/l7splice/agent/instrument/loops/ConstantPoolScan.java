package dev.l7splice.agent.instrument.loops;

import static dev.l7splice.agent.runtime.ConstantPoolEntries.u2;

import dev.l7splice.agent.runtime.ConstantPoolEntries;

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
            int count = ConstantPoolEntries.count(b);
            int at = ConstantPoolEntries.FIRST;
            int seen = 0;
            for (int i = 1; i < count; i++) {
                int len = ConstantPoolEntries.length(b, at);
                if (len < 0) {
                    return true; // a tag from a later class file version: let the parser judge
                }
                int tag = ConstantPoolEntries.tag(b, at);
                if (tag == 1) { // Utf8: u2 length, bytes
                    seen |= match(b, at + 3, len - 3);
                    if (seen == ALL) {
                        return true;
                    }
                } else if (ConstantPoolEntries.takesTwoSlots(tag)) {
                    i++;
                }
                at += len;
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
}
