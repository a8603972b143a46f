package dev.l7splice.agent.core.loops;

import static org.objectweb.asm.Opcodes.*;

import dev.l7splice.agent.core.loops.CopyLoopRecogniser.Left;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * The body of a candidate loop, between its condition and its back edge, proven to be only
 * straight-line statements of these shapes (any order): exactly one {@code out.write(buf, 0, n)},
 * at most one {@code out.flush()} on the same {@code out}, at most one {@code counter += n} on an
 * int or long local. Anything else leaves the loop, with the most telling reason found.
 */
record LoopBody(JumpInsnNode backEdge, int out, int counter, boolean longCounter) {

    private static final int MAX_BODY = 64;
    private static final String OUTPUTS_FLUSH = "flush()V";

    static LoopBody parse(JumpInsnNode cond, LabelNode head, int in, int buf, int n) throws Left {
        List<AbstractInsnNode> real = new ArrayList<>();
        boolean branches = false;
        JumpInsnNode back = null;
        for (AbstractInsnNode p = cond.getNext(); p != null && real.size() < 4 * MAX_BODY; p = p.getNext()) {
            if (p.getOpcode() == GOTO && ((JumpInsnNode) p).label == head) {
                back = (JumpInsnNode) p;
                break;
            }
            branches |= p instanceof FrameNode || p instanceof JumpInsnNode || p.getType() == AbstractInsnNode.TABLESWITCH_INSN
                    || p.getType() == AbstractInsnNode.LOOKUPSWITCH_INSN || p.getOpcode() >= IRETURN && p.getOpcode() <= RETURN
                    || p.getOpcode() == ATHROW;
            if (p.getOpcode() >= 0) {
                real.add(p);
            }
        }
        if (back == null) {
            throw new Left("no back edge to the read: not a while/for loop around it");
        }
        int writes = 0;
        int nUses = 0;
        int bufUses = 0;
        for (int i = 0; i < real.size(); i++) {
            if (isWrite(real, i, buf, n)) {
                writes++;
            }
            nUses += uses(real.get(i), n) ? 1 : 0;
            bufUses += Insns.var(real.get(i), ALOAD) == buf ? 1 : 0;
        }
        if (writes == 0) {
            throw new Left(whyNoWrite(real, buf, n));
        }
        if (bufUses > writes) {
            throw new Left("the buffer is used for something else in the loop (inspected, changed or passed on)");
        }
        if (branches || real.size() > MAX_BODY) {
            throw new Left("the loop branches or does more than write, flush and count (if, break, an inner loop)");
        }
        return statements(real, back, in, buf, n, nUses);
    }

    private static LoopBody statements(List<AbstractInsnNode> real, JumpInsnNode back, int in, int buf, int n,
                                       int nUses) throws Left {
        int out = -1;
        int flushed = -1;
        int counter = -1;
        boolean longCounter = false;
        int writes = 0;
        int i = 0;
        while (i < real.size()) {
            if (isWrite(real, i, buf, n)) {
                int o = Insns.var(real.get(i), ALOAD);
                if (out >= 0 && o != out) {
                    throw new Left("writes to two streams");
                }
                out = o;
                writes++;
                i += 5;
            } else if (Insns.var(real.get(i), ALOAD) >= 0 && i + 1 < real.size() && isCall(real.get(i + 1), OUTPUTS_FLUSH)) {
                flushed = Insns.var(real.get(i), ALOAD);
                i += 2;
            } else if (counter < 0 && Counter.at(real, i, n) != null) {
                Counter c = Counter.at(real, i, n);
                counter = c.slot();
                longCounter = c.isLong();
                i += c.length();
            } else {
                throw new Left(nUses > writes + (counter >= 0 ? 1 : 0)
                        ? "n is used for something else in the loop"
                        : "the loop does other work (a call or statement other than write, flush and a byte counter)");
            }
        }
        if (writes != 1) {
            throw new Left("more than one write in the loop");
        }
        if (flushed >= 0 && flushed != out) {
            throw new Left("flushes another stream than the one it writes");
        }
        if (out == in || counter == in || counter == out || counter == buf || counter == n || n == in || n == out) {
            throw new Left("the same variable plays two parts");
        }
        return new LoopBody(back, out, counter, longCounter);
    }

    /** {@code ALOAD out; ALOAD buf; ICONST_0; ILOAD n; INVOKEVIRTUAL <JDK output type>.write([BII)V}. */
    private static boolean isWrite(List<AbstractInsnNode> real, int i, int buf, int n) {
        return i + 4 < real.size()
                && Insns.var(real.get(i), ALOAD) >= 0
                && Insns.var(real.get(i + 1), ALOAD) == buf
                && real.get(i + 2).getOpcode() == ICONST_0
                && Insns.var(real.get(i + 3), ILOAD) == n
                && isCall(real.get(i + 4), "write([BII)V");
    }

    private static boolean isCall(AbstractInsnNode i, String nameAndDesc) {
        return i instanceof MethodInsnNode m && m.getOpcode() == INVOKEVIRTUAL
                && CopyLoopRecogniser.OUTPUTS.contains(m.owner) && nameAndDesc.equals(m.name + m.desc);
    }

    private static boolean uses(AbstractInsnNode i, int n) {
        return Insns.var(i, ILOAD) == n || Insns.var(i, ISTORE) == n
                || i instanceof org.objectweb.asm.tree.IincInsnNode inc && inc.var == n;
    }

    private static String whyNoWrite(List<AbstractInsnNode> real, int buf, int n) {
        for (int i = 4; i < real.size(); i++) {
            if (real.get(i) instanceof MethodInsnNode m && m.name.equals("write") && m.desc.equals("([BII)V")) {
                if (Insns.var(real.get(i - 3), ALOAD) != buf) {
                    return "writes a different buffer than the one it reads into";
                }
                if (real.get(i - 2).getOpcode() != ICONST_0) {
                    return "the write's offset is not 0";
                }
                if (Insns.var(real.get(i - 1), ILOAD) != n) {
                    return "the write's length is not n";
                }
                return "the destination's declared type " + m.owner + " is not one the agent can take";
            }
        }
        return "no out.write(buf, 0, n) in the loop";
    }
}
