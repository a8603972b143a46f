package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import dev.l7splice.agent.instrument.loops.CopyLoopRecogniser.Left;
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
 * int or long local ({@link Counter}); {@code out} a local or {@code this.field}. A count kept in a
 * field is not taken: another thread may watch it grow, and the rewrite adds the total at the end. Anything else leaves the loop, with the most telling reason found.
 */
record LoopBody(JumpInsnNode backEdge, StreamRef out, int counter, boolean longCounter) {

    private static final int MAX_BODY = 64;
    private static final String OUTPUTS_FLUSH = "flush()V";

    /** {@code first}: the body's first instruction (after the loop's test). */
    static LoopBody parse(AbstractInsnNode first, LabelNode head, StreamRef in, int buf, int n) throws Left {
        List<AbstractInsnNode> real = new ArrayList<>();
        boolean branches = false;
        JumpInsnNode back = null;
        for (AbstractInsnNode p = first; p != null && real.size() < 4 * MAX_BODY; p = p.getNext()) {
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
            throw new Left("shape", "no back edge to the read: not a while/for loop around it");
        }
        int writes = 0;
        int nUses = 0;
        int bufUses = 0;
        for (int i = 0; i < real.size(); i++) {
            if (writeAt(real, i, buf, n) != null) {
                writes++;
            }
            nUses += uses(real.get(i), n) ? 1 : 0;
            bufUses += Insns.var(real.get(i), ALOAD) == buf ? 1 : 0;
        }
        if (writes == 0) {
            throw new Left("write-args", whyNoWrite(real, buf, n));
        }
        if (bufUses > writes) {
            throw new Left("buffer-used", "the buffer is used for something else in the loop (inspected, changed or passed on)");
        }
        if (branches || real.size() > MAX_BODY) {
            throw new Left("other-work", "the loop branches or does more than write, flush and count (if, break, an inner loop)");
        }
        return statements(real, back, in, buf, n, nUses);
    }

    private static LoopBody statements(List<AbstractInsnNode> real, JumpInsnNode back, StreamRef in, int buf, int n,
                                       int nUses) throws Left {
        StreamRef out = null;
        StreamRef flushed = null;
        int counter = -1;
        boolean longCounter = false;
        int writes = 0;
        int i = 0;
        while (i < real.size()) {
            StreamRef o = writeAt(real, i, buf, n);
            StreamRef f = o == null ? StreamRef.parse(real, i) : null;
            if (o != null) {
                if (out != null && !o.equals(out)) {
                    throw new Left("other-work", "writes to two streams");
                }
                out = o;
                writes++;
                i += o.length() + 4;
            } else if (f != null && (flushed == null || f.equals(flushed)) && i + f.length() < real.size()
                    && isCall(real.get(i + f.length()), OUTPUTS_FLUSH)) {
                flushed = f;
                i += f.length() + 1;
            } else if (counter < 0 && Counter.at(real, i, n) != null) {
                Counter c = Counter.at(real, i, n);
                counter = c.slot();
                longCounter = c.isLong();
                i += c.length();
            } else if (nUses > writes + (counter >= 0 ? 1 : 0)) {
                throw new Left("n-used", "n is used for something else in the loop"
                        + (hasPutField(real) ? " (a count kept in a field is not taken:"
                        + " another thread may watch it grow)" : ""));
            } else {
                throw new Left("other-work", "the loop does other work (a call or statement other than write, flush and"
                        + " a byte counter)");
            }
        }
        if (writes != 1) {
            throw new Left("other-work", "more than one write in the loop");
        }
        if (flushed != null && !flushed.equals(out)) {
            throw new Left("other-work", "flushes another stream than the one it writes");
        }
        if (out.equals(in) || counter >= 0 && (counter == in.local() || counter == out.local() || counter == buf
                || counter == n) || n == in.local() || n == out.local() || buf == in.local() || buf == out.local()) {
            throw new Left("other-work", "the same variable plays two parts");
        }
        return new LoopBody(back, out, counter, longCounter);
    }

    /** {@code <out>; ALOAD buf; ICONST_0; ILOAD n; INVOKEVIRTUAL <JDK output type>.write([BII)V}: its out, or null. */
    private static StreamRef writeAt(List<AbstractInsnNode> real, int i, int buf, int n) {
        StreamRef out = StreamRef.parse(real, i);
        int k = out == null ? 0 : i + out.length();
        boolean is = out != null && k + 3 < real.size()
                && Insns.var(real.get(k), ALOAD) == buf
                && real.get(k + 1).getOpcode() == ICONST_0
                && Insns.var(real.get(k + 2), ILOAD) == n
                && isCall(real.get(k + 3), "write([BII)V");
        return is ? out : null;
    }

    private static boolean isCall(AbstractInsnNode i, String nameAndDesc) {
        return i instanceof MethodInsnNode m && m.getOpcode() == INVOKEVIRTUAL
                && CopyLoopRecogniser.OUTPUTS.contains(m.owner) && nameAndDesc.equals(m.name + m.desc);
    }

    private static boolean hasPutField(List<AbstractInsnNode> real) {
        for (AbstractInsnNode i : real) {
            if (i.getOpcode() == PUTFIELD) {
                return true;
            }
        }
        return false;
    }

    private static boolean uses(AbstractInsnNode i, int n) {
        return Insns.var(i, ILOAD) == n || Insns.var(i, ISTORE) == n
                || i instanceof org.objectweb.asm.tree.IincInsnNode inc && inc.var == n;
    }

    private static String whyNoWrite(List<AbstractInsnNode> real, int buf, int n) throws Left {
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
                AbstractInsnNode o = real.get(i - 4);
                if (o.getOpcode() == GETSTATIC) {
                    throw new Left("not-local", "the destination is a static field (any thread, any class may replace it)");
                }
                boolean thisField = o.getOpcode() == GETFIELD && i >= 5 && Insns.var(real.get(i - 5), ALOAD) == 0;
                if (Insns.var(o, ALOAD) < 0 && !thisField) {
                    throw new Left("not-local", "the destination is not a local variable or a field of this object");
                }
                return "the destination's declared type " + m.owner + " is not one the agent can take";
            }
        }
        return "no out.write(buf, 0, n) in the loop";
    }
}
