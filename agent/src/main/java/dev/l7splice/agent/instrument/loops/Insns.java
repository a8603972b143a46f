package dev.l7splice.agent.instrument.loops;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Null-safe steps over an instruction list: real instructions only (labels, lines, frames skipped). */
final class Insns {

    private Insns() {
    }

    static AbstractInsnNode prevReal(AbstractInsnNode i) {
        AbstractInsnNode p = i == null ? null : i.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        return p;
    }

    static AbstractInsnNode nextReal(AbstractInsnNode i) {
        AbstractInsnNode p = i == null ? null : i.getNext();
        while (p != null && p.getOpcode() < 0) {
            p = p.getNext();
        }
        return p;
    }

    /** The local slot of {@code i} when it is a variable instruction with {@code opcode}, else -1. */
    static int var(AbstractInsnNode i, int opcode) {
        return i instanceof VarInsnNode v && v.getOpcode() == opcode ? v.var : -1;
    }

    /** True when only labels, lines and frames stand between {@code i} and {@code label}. */
    static boolean directlyAfter(AbstractInsnNode i, LabelNode label) {
        for (AbstractInsnNode p = i.getNext(); p != null && p.getOpcode() < 0; p = p.getNext()) {
            if (p == label) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a loop that anything enters other than at its head: a jump, a switch case, or an
     * exception handler into the body, or a try block starting or ending inside it. The loop's own
     * test jumps ({@code own}) may target its inside.
     */
    static void checkNoJumpsInto(MethodNode m, LabelNode head, JumpInsnNode backEdge, java.util.List<JumpInsnNode> own)
            throws CopyLoopRecogniser.Left {
        InsnList list = m.instructions;
        int from = list.indexOf(head);
        int to = list.indexOf(backEdge);
        for (AbstractInsnNode i = list.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof JumpInsnNode j && !own.contains(j) && inside(list, j.label, from, to)
                    || i instanceof TableSwitchInsnNode t && (inside(list, t.dflt, from, to) || anyInside(list, t.labels, from, to))
                    || i instanceof LookupSwitchInsnNode l && (inside(list, l.dflt, from, to) || anyInside(list, l.labels, from, to))) {
                throw new CopyLoopRecogniser.Left("shape", "a jump into the loop's body");
            }
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            if (inside(list, t.start, from, to) || inside(list, t.end, from, to) || inside(list, t.handler, from, to)) {
                throw new CopyLoopRecogniser.Left("shape", "a try block begins or ends inside the loop");
            }
        }
    }

    private static boolean inside(InsnList list, LabelNode l, int from, int to) {
        int at = list.indexOf(l);
        return at > from && at <= to;
    }

    private static boolean anyInside(InsnList list, java.util.List<LabelNode> labels, int from, int to) {
        for (LabelNode l : labels) {
            if (inside(list, l, from, to)) {
                return true;
            }
        }
        return false;
    }
}
