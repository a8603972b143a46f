package dev.l7splice.agent.core.loops;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds {@code while ((n = in.read(buf)) != -1) out.write(buf, 0, n);} and its variants in one
 * method (read from a ClassNode with expanded frames) and proves each one, or says why not. A loop
 * is proven only when its body is nothing but statements from {@link LoopBody}, so the buffer and
 * {@code n} cannot be seen by anything but the write, the condition and a counter. Stateless.
 */
final class CopyLoopRecogniser {

    /** Declared types whose read the hook may take over (it checks the runtime type itself). */
    static final Set<String> INPUTS = Set.of("java/io/InputStream", "java/io/BufferedInputStream",
            "java/io/FilterInputStream");
    static final Set<String> OUTPUTS = Set.of("java/io/OutputStream", "java/io/BufferedOutputStream",
            "java/io/FilterOutputStream");

    private CopyLoopRecogniser() {
    }

    /** Every read(byte[]) whose result is stored, in a method that writes (byte[], int, int). */
    static List<LoopFinding> find(MethodNode m) {
        List<LoopFinding> found = new ArrayList<>();
        if (m.instructions.size() == 0 || !callsWrite(m)) {
            return found;
        }
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (isArrayRead(i) && storesResult(i)) {
                try {
                    found.add(LoopFinding.proven(m.name, prove(m, (MethodInsnNode) i)));
                } catch (Left left) {
                    found.add(LoopFinding.left(m.name, lineOf(i), left.getMessage()));
                }
            }
        }
        return found;
    }

    private static CopyLoop prove(MethodNode m, MethodInsnNode read) throws Left {
        // Arguments: (buf) or (buf, 0, buf.length), receiver a local.
        AbstractInsnNode a = Insns.prevReal(read);
        int buf;
        AbstractInsnNode receiver;
        if (read.desc.equals("([B)I")) {
            buf = Insns.var(a, ALOAD);
            receiver = Insns.prevReal(a);
        } else {
            AbstractInsnNode b2 = Insns.prevReal(a);
            AbstractInsnNode zero = Insns.prevReal(b2);
            AbstractInsnNode b1 = Insns.prevReal(zero);
            buf = Insns.var(b1, ALOAD);
            if (a.getOpcode() != ARRAYLENGTH || Insns.var(b2, ALOAD) != buf || buf < 0
                    || zero == null || zero.getOpcode() != ICONST_0) {
                throw new Left("read(buf, off, len) is not read(buf, 0, buf.length)");
            }
            receiver = Insns.prevReal(b1);
        }
        int in = Insns.var(receiver, ALOAD);
        if (buf < 0 || in < 0) {
            throw new Left("the stream or the buffer is not a local variable");
        }
        if (read.getOpcode() != INVOKEVIRTUAL || !INPUTS.contains(read.owner)) {
            throw new Left("the source's declared type " + read.owner + " is not one the agent can take");
        }
        // The read must open a loop: a frame right before it and a back edge to its label.
        LabelNode head = null;
        FrameNode frame = null;
        for (AbstractInsnNode p = receiver.getPrevious(); p != null && p.getOpcode() < 0; p = p.getPrevious()) {
            if (p instanceof LabelNode l) {
                head = l;
            } else if (p instanceof FrameNode f) {
                frame = f;
            }
        }
        if (head == null || frame == null || frame.type != F_NEW || !frame.stack.isEmpty()) {
            throw new Left("the read is not at the top of a loop (a do/while or another shape)");
        }
        // (n = read) compared: != -1, > 0 or >= 0; the jump leaves the loop.
        AbstractInsnNode dup = Insns.nextReal(read);
        AbstractInsnNode store = Insns.nextReal(dup);
        int n = Insns.var(store, ISTORE);
        if (dup.getOpcode() != DUP || n < 0) {
            throw new Left("the read's result is not assigned in the loop's condition");
        }
        AbstractInsnNode c = Insns.nextReal(store);
        if (c != null && c.getOpcode() == ICONST_M1) {
            c = Insns.nextReal(c);
            if (c == null || c.getOpcode() != IF_ICMPEQ) {
                throw new Left("the loop's condition is not n != -1, n > 0 or n >= 0");
            }
        } else if (c == null || (c.getOpcode() != IFLE && c.getOpcode() != IFLT)) {
            throw new Left("the loop's condition is not n != -1, n > 0 or n >= 0");
        }
        JumpInsnNode cond = (JumpInsnNode) c;
        LoopBody body = LoopBody.parse(cond, head, in, buf, n);
        if (!Insns.directlyAfter(body.backEdge(), cond.label)) {
            throw new Left("the loop's exit is not right after its body");
        }
        Insns.checkNoJumpsInto(m, head, body.backEdge(), cond);
        return new CopyLoop(head, frame, body.backEdge(), cond.label, in, body.out(), buf, n,
                body.counter(), body.longCounter(), lineOf(read));
    }

    private static boolean isArrayRead(AbstractInsnNode i) {
        return i instanceof MethodInsnNode mi && mi.name.equals("read")
                && (mi.desc.equals("([B)I") || mi.desc.equals("([BII)I"));
    }

    private static boolean storesResult(AbstractInsnNode read) {
        AbstractInsnNode next = Insns.nextReal(read);
        return next != null && (next.getOpcode() == ISTORE
                || next.getOpcode() == DUP && Insns.var(Insns.nextReal(next), ISTORE) >= 0);
    }

    private static boolean callsWrite(MethodNode m) {
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof MethodInsnNode mi && mi.name.equals("write") && mi.desc.equals("([BII)V")) {
                return true;
            }
        }
        return false;
    }

    private static int lineOf(AbstractInsnNode i) {
        for (AbstractInsnNode p = i; p != null; p = p.getPrevious()) {
            if (p instanceof LineNumberNode ln) {
                return ln.line;
            }
        }
        return -1;
    }

    /** A loop that stays as it is; the message is the report's reason. No stack trace. */
    static final class Left extends Exception {
        Left(String why) {
            super(why, null, false, false);
        }
    }
}
