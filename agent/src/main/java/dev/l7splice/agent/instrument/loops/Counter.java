package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;

/**
 * A byte counter statement in a loop body, {@code total += n}: {@code LLOAD c; ILOAD n; I2L; LADD;
 * LSTORE c} for a long, {@code ILOAD c; ILOAD n; IADD; ISTORE c} for an int.
 */
record Counter(int slot, boolean isLong, int length) {

    static Counter at(List<AbstractInsnNode> real, int i, int n) {
        if (i + 4 < real.size()) {
            int c = Insns.var(real.get(i), LLOAD);
            if (c >= 0 && Insns.var(real.get(i + 1), ILOAD) == n && real.get(i + 2).getOpcode() == I2L
                    && real.get(i + 3).getOpcode() == LADD && Insns.var(real.get(i + 4), LSTORE) == c) {
                return new Counter(c, true, 5);
            }
        }
        if (i + 3 < real.size()) {
            int c = Insns.var(real.get(i), ILOAD);
            if (c >= 0 && c != n && Insns.var(real.get(i + 1), ILOAD) == n && real.get(i + 2).getOpcode() == IADD
                    && Insns.var(real.get(i + 3), ISTORE) == c) {
                return new Counter(c, false, 4);
            }
        }
        return null;
    }
}
