package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import dev.l7splice.agent.instrument.loops.CopyLoopRecogniser.Left;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;

/**
 * How a loop's read is tested, from the instruction after the read: {@code n} (the result's
 * local), the loop's exit, the body's first instruction, and the loop's own jumps (which may
 * target its inside). Two shapes:
 * <pre>
 * while ((n = in.read(buf)) != -1)  / > 0 / >= 0         DUP; ISTORE n; [ICONST_M1] IF_xx exit
 * while (true) { n = in.read(buf); if (n == -1) break;   ISTORE n; ILOAD n; [ICONST_M1] IF_xx next;
 *                (also n &lt; 0, n &lt;= 0)                    GOTO exit; next:   (javac)
 *                                                        ISTORE n; ILOAD n; [ICONST_M1] IF_yy exit (ecj)
 * </pre>
 * Why {@code n <= 0} / {@code > 0} may be taken as {@code == -1} / {@code != -1}: they differ only
 * when a read returns 0 (or a negative other than -1). The rewrite diverts a loop only when the hook
 * takes both ends, and the hook only takes the JDK's socket streams (or exactly a
 * BufferedInputStream over one), whose {@code read(buf)} with {@code buf.length > 0} (the prefix
 * checks that) blocks until it returns at least 1 byte or -1, as InputStream's contract says.
 * For any other stream the hook declines and the loop runs as written, 0 and all. Stateless.
 */
record LoopShape(int n, LabelNode exit, AbstractInsnNode bodyStart, List<JumpInsnNode> jumps) {

    static LoopShape after(AbstractInsnNode read) throws Left {
        AbstractInsnNode next = Insns.nextReal(read);
        if (next != null && next.getOpcode() == DUP) {
            return condition(next);
        }
        if (Insns.var(next, ISTORE) >= 0) {
            return breakOn(next);
        }
        throw new Left("shape", "the read's result is not stored in a variable");
    }

    /** {@code while ((n = in.read(buf)) CMP)}: the jump leaves the loop. */
    private static LoopShape condition(AbstractInsnNode dup) throws Left {
        AbstractInsnNode store = Insns.nextReal(dup);
        int n = Insns.var(store, ISTORE);
        if (n < 0) {
            throw new Left("shape", "the read's result is not assigned in the loop's condition");
        }
        AbstractInsnNode c = Insns.nextReal(store);
        if (c != null && c.getOpcode() == ICONST_M1) {
            c = Insns.nextReal(c);
            if (c == null || c.getOpcode() != IF_ICMPEQ) {
                throw new Left("shape", "the loop's condition is not n != -1, n > 0 or n >= 0");
            }
        } else if (c == null || (c.getOpcode() != IFLE && c.getOpcode() != IFLT)) {
            throw new Left("shape", "the loop's condition is not n != -1, n > 0 or n >= 0");
        }
        JumpInsnNode cond = (JumpInsnNode) c;
        return new LoopShape(n, cond.label, cond.getNext(), List.of(cond));
    }

    /** {@code n = in.read(buf); if (n == -1 | n < 0 | n <= 0) break;} at the top of the loop. */
    private static LoopShape breakOn(AbstractInsnNode store) throws Left {
        int n = Insns.var(store, ISTORE);
        AbstractInsnNode test = Insns.nextReal(store);
        if (Insns.var(test, ILOAD) != n) {
            throw new Left("shape", "the read's result is not tested right after the read");
        }
        AbstractInsnNode c = Insns.nextReal(test);
        boolean minusOne = c != null && c.getOpcode() == ICONST_M1;
        AbstractInsnNode j = minusOne ? Insns.nextReal(c) : c;
        int op = j == null ? -1 : j.getOpcode();
        boolean leaves = minusOne ? op == IF_ICMPEQ : op == IFLE || op == IFLT;
        boolean skips = minusOne ? op == IF_ICMPNE : op == IFGT || op == IFGE;
        if (leaves) {
            JumpInsnNode out = (JumpInsnNode) j;
            return new LoopShape(n, out.label, out.getNext(), List.of(out));
        }
        AbstractInsnNode g = skips ? Insns.nextReal(j) : null;
        if (g == null || g.getOpcode() != GOTO || !Insns.directlyAfter(g, ((JumpInsnNode) j).label)) {
            throw new Left("shape", "the test after the read is not if (n == -1), (n < 0) or (n <= 0) break;");
        }
        JumpInsnNode brk = (JumpInsnNode) g;
        return new LoopShape(n, brk.label, Insns.nextReal(brk), List.of((JumpInsnNode) j, brk));
    }
}
