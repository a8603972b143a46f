package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds {@code while ((n = in.read(buf)) != -1) out.write(buf, 0, n);} and its variants in one
 * method (read from a ClassNode with expanded frames) and proves each one, or says why not. A loop
 * is proven only when its test is one of {@link LoopShape}'s, its body is nothing but statements
 * from {@link LoopBody}, so the buffer and {@code n} cannot be seen by anything but the write, the
 * test and a counter, and each stream is a local or a field {@link FieldStreams} proves may be
 * read once. Stateless.
 */
final class CopyLoopRecogniser {

    /** Declared types whose read the hook may take over (it checks the runtime type itself). */
    static final Set<String> INPUTS = Set.of("java/io/InputStream", "java/io/BufferedInputStream",
            "java/io/FilterInputStream");
    static final Set<String> OUTPUTS = Set.of("java/io/OutputStream", "java/io/BufferedOutputStream",
            "java/io/FilterOutputStream");

    private CopyLoopRecogniser() {
    }

    /** Every read(byte[]) whose result is stored, in a method of {@code cn} that writes (byte[], int, int). */
    static List<LoopFinding> find(ClassNode cn, MethodNode m) {
        List<LoopFinding> found = new ArrayList<>();
        if (m.instructions.size() == 0 || !callsWrite(m)) {
            return found;
        }
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (isArrayRead(i) && storesResult(i)) {
                try {
                    found.add(LoopFinding.proven(m.name, prove(cn, m, (MethodInsnNode) i)));
                } catch (Left left) {
                    found.add(LoopFinding.left(m.name, lineOf(i), left.key, left.getMessage()));
                }
            }
        }
        return found;
    }

    private static CopyLoop prove(ClassNode cn, MethodNode m, MethodInsnNode read) throws Left {
        // Arguments: (buf) or (buf, 0, buf.length), the buffer a local.
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
                throw new Left("write-args", "read(buf, off, len) is not read(buf, 0, buf.length)");
            }
            receiver = Insns.prevReal(b1);
        }
        if (buf < 0) {
            throw new Left("not-local", "the buffer is not a local variable");
        }
        AbstractInsnNode[] start = new AbstractInsnNode[1];
        StreamRef in = StreamRef.endingAt(receiver, start);
        if (read.getOpcode() != INVOKEVIRTUAL || !INPUTS.contains(read.owner)) {
            throw new Left("stream-type", "the source's declared type " + read.owner + " is not one the agent can take");
        }
        // The read must open a loop: a frame right before it and a back edge to its label.
        LabelNode head = null;
        FrameNode frame = null;
        for (AbstractInsnNode p = start[0].getPrevious(); p != null && p.getOpcode() < 0; p = p.getPrevious()) {
            if (p instanceof LabelNode l) {
                head = l;
            } else if (p instanceof FrameNode f) {
                frame = f;
            }
        }
        if (head == null || frame == null || frame.type != F_NEW || !frame.stack.isEmpty()) {
            throw new Left("shape", "the read is not at the top of a loop (a do/while or another shape)");
        }
        LoopShape shape = LoopShape.after(read);
        int n = shape.n();
        LoopBody body = LoopBody.parse(shape.bodyStart(), head, in, buf, n);
        if (!Insns.directlyAfter(body.backEdge(), shape.exit())) {
            throw new Left("shape", "the loop's exit is not right after its body");
        }
        Insns.checkNoJumpsInto(m, head, body.backEdge(), shape.jumps());
        FieldStreams.check(cn, m, in);
        FieldStreams.check(cn, m, body.out());
        return new CopyLoop(head, frame, body.backEdge(), shape.exit(), in, body.out(), buf, n,
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
        /** Short and fixed, for the fallback counter {@code copy-loop-left:KEY}. */
        final String key;

        Left(String key, String why) {
            super(why, null, false, false);
            this.key = key;
        }
    }
}
