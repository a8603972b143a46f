package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites the proven copy loops of one class file. The loop itself is kept; a guarded prefix
 * goes in front of it:
 * <pre>
 * pre:  [the loop head's own stack map frame]
 *       InputStream i = in; OutputStream o = out;                // each read once (a field: FieldStreams)
 *       if (i == null || buf == null || buf.length == 0) goto head;   // the original's own behaviour
 *       long r = L7Dispatch.enterTransferTo(i, o);              // o == null: not handled
 *       if (r == 0) goto head;                                   // not handled: the original loop
 *       counter += r - 1; n = -1; goto exit;                      // the loop's exit state
 * head: while ((n = in.read(buf)) ...) { ... }
 * exit:
 * </pre>
 * Jumps from outside the loop to its head, and try blocks starting or ending there, move to
 * {@code pre}. No frame is computed: {@code pre} carries a copy of the head's frame (the same
 * state), and every other jump target already had one, so no class is ever loaded to verify. Pure
 * function of its input; any exception means "leave the class as it is" (the caller's job).
 */
final class CopyLoopRewriter {

    static final String DISPATCH = "dev/l7splice/agent/bootstrap/L7Dispatch";
    static final String LOADER_BLIND = "its class loader does not see the agent's bootstrap classes";
    static final String COUNT_UNKNOWN = "it counts bytes, and with offload=inprocess or sidecar the count is"
            + " not known when the call returns";
    static final String NAMED_MODULE = "its class is in a named module (it cannot read the agent's classes)";
    /** The fallback counter's keys for the three refusals above. */
    static final String LOADER_BLIND_KEY = "loader";
    static final String COUNT_UNKNOWN_KEY = "count-in-handoff-mode";
    static final String NAMED_MODULE_KEY = "named-module";

    /** The new class file ({@code null} when nothing changed) and every loop found. */
    record Result(byte[] bytes, String className, List<LoopFinding> findings) {
    }

    private CopyLoopRewriter() {
    }

    /**
     * {@code refusal} is asked once, only when there is a loop to rewrite: null when the class may
     * call L7Dispatch, else why not (every loop is then left, with that reason: {@link #LOADER_BLIND}
     * or {@link #NAMED_MODULE}).
     */
    static Result rewrite(byte[] classFile, Supplier<String> refusal) {
        return rewrite(classFile, refusal, true);
    }

    /**
     * {@code exactCounts} false (a hand-off mode: the hook returns before the body is through)
     * leaves every loop that keeps a byte counter.
     */
    static Result rewrite(byte[] classFile, Supplier<String> refusal, boolean exactCounts) {
        ClassReader reader = new ClassReader(classFile);
        ClassNode cn = new ClassNode();
        reader.accept(cn, ClassReader.EXPAND_FRAMES);
        List<LoopFinding> all = new ArrayList<>();
        if (cn.version < V1_6 || (cn.access & ACC_INTERFACE) != 0 && cn.version < V1_8) {
            return new Result(null, cn.name, all);
        }
        String refused = null;
        boolean asked = false;
        boolean changed = false;
        for (MethodNode m : cn.methods) {
            List<LoopFinding> found = CopyLoopRecogniser.find(cn, m);
            int scratch = m.maxLocals;
            for (LoopFinding f : found) {
                if (f.rewritable() && f.loop().counter() >= 0 && !exactCounts) {
                    f = LoopFinding.left(f.method(), f.line(), COUNT_UNKNOWN_KEY, COUNT_UNKNOWN);
                }
                if (f.rewritable() && !asked) {
                    refused = refusal.get();
                    asked = true;
                }
                if (f.rewritable() && refused != null) {
                    all.add(LoopFinding.left(f.method(), f.line(),
                            refused.equals(NAMED_MODULE) ? NAMED_MODULE_KEY : LOADER_BLIND_KEY, refused));
                    continue;
                }
                all.add(f);
                if (f.rewritable()) {
                    insertPrefix(m, f.loop(), scratch);
                    m.maxLocals = scratch + 4;
                    m.maxStack = Math.max(m.maxStack, 6);
                    changed = true;
                }
            }
        }
        if (!changed) {
            return new Result(null, cn.name, all);
        }
        ClassWriter writer = new ClassWriter(0);
        cn.accept(writer);
        return new Result(writer.toByteArray(), cn.name, all);
    }

    /** {@code r}: a free long slot, then {@code r + 2} and {@code r + 3} for the two streams. */
    private static void insertPrefix(MethodNode m, CopyLoop loop, int r) {
        int in = r + 2;
        int out = r + 3;
        LabelNode pre = new LabelNode();
        LabelNode head = loop.head();
        FrameNode f = loop.headFrame();
        InsnList p = new InsnList();
        p.add(pre);
        p.add(new FrameNode(F_NEW, f.local.size(), f.local.toArray(), 0, new Object[0]));
        loop.in().load(p);
        p.add(new VarInsnNode(ASTORE, in));
        loop.out().load(p);
        p.add(new VarInsnNode(ASTORE, out));
        p.add(new VarInsnNode(ALOAD, in));
        p.add(new JumpInsnNode(IFNULL, head));
        p.add(new VarInsnNode(ALOAD, loop.buf()));
        p.add(new JumpInsnNode(IFNULL, head));
        p.add(new VarInsnNode(ALOAD, loop.buf()));
        p.add(new InsnNode(ARRAYLENGTH));
        p.add(new JumpInsnNode(IFLE, head));
        p.add(new VarInsnNode(ALOAD, in));
        p.add(new VarInsnNode(ALOAD, out));
        p.add(new MethodInsnNode(INVOKESTATIC, DISPATCH, "enterTransferTo",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", false));
        p.add(new VarInsnNode(LSTORE, r));
        p.add(new VarInsnNode(LLOAD, r));
        p.add(new InsnNode(LCONST_0));
        p.add(new InsnNode(LCMP));
        p.add(new JumpInsnNode(IFEQ, head));
        if (loop.counter() >= 0) {
            // The original adds each n; the sum of all of them is r - 1 (wrapping alike for an int).
            p.add(new VarInsnNode(loop.longCounter() ? LLOAD : ILOAD, loop.counter()));
            p.add(new VarInsnNode(LLOAD, r));
            p.add(new InsnNode(LCONST_1));
            p.add(new InsnNode(LSUB));
            if (loop.longCounter()) {
                p.add(new InsnNode(LADD));
                p.add(new VarInsnNode(LSTORE, loop.counter()));
            } else {
                p.add(new InsnNode(L2I));
                p.add(new InsnNode(IADD));
                p.add(new VarInsnNode(ISTORE, loop.counter()));
            }
        }
        p.add(new InsnNode(ICONST_M1));
        p.add(new VarInsnNode(ISTORE, loop.n()));
        p.add(new JumpInsnNode(GOTO, loop.exit()));
        redirectOutsideEntries(m, loop, pre);
        m.instructions.insertBefore(head, p);
    }

    /** Entries into the loop from before or after it now pass through the prefix. */
    private static void redirectOutsideEntries(MethodNode m, CopyLoop loop, LabelNode pre) {
        InsnList list = m.instructions;
        int from = list.indexOf(loop.head());
        int to = list.indexOf(loop.backEdge());
        for (AbstractInsnNode i = list.getFirst(); i != null; i = i.getNext()) {
            int at = list.indexOf(i);
            if (at >= from && at <= to) {
                continue;
            }
            if (i instanceof JumpInsnNode j && j.label == loop.head()) {
                j.label = pre;
            } else if (i instanceof TableSwitchInsnNode t) {
                t.dflt = t.dflt == loop.head() ? pre : t.dflt;
                t.labels.replaceAll(l -> l == loop.head() ? pre : l);
            } else if (i instanceof LookupSwitchInsnNode l) {
                l.dflt = l.dflt == loop.head() ? pre : l.dflt;
                l.labels.replaceAll(x -> x == loop.head() ? pre : x);
            }
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            t.start = t.start == loop.head() ? pre : t.start;
            t.end = t.end == loop.head() ? pre : t.end;
            if (t.handler == loop.head()) {
                throw new IllegalStateException("a handler at a loop head"); // the caller leaves the class
            }
        }
    }
}
