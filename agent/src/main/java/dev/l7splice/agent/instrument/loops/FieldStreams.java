package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import dev.l7splice.agent.instrument.loops.CopyLoopRecogniser.Left;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Proves that a stream held in a field of {@code this} may be read once, by the rewrite's prefix,
 * instead of on every iteration as the loop does. The risk is another thread (or the loop's own
 * method) storing a different stream in the field while the loop runs: the original would switch
 * streams at its next iteration, the rewrite would not. Reading it once is only safe when the
 * field cannot change once the loop can see a stream in it, which holds when
 * <ul>
 * <li>only this class's code can write it: it is {@code final} (the JVM lets only the declaring
 *     class write a final field), or {@code private} in a class with no nestmates (Java 11+
 *     nestmates may write each other's private fields; older inner classes go through synthetic
 *     {@code access$} methods, which are this class's methods and are checked like any other);</li>
 * <li>this class writes it only in constructors, only on {@code this}, at most once in each
 *     constructor, outside any loop, and no constructor that writes it calls another constructor of
 *     this class (which could write it a second time on the same object).</li>
 * </ul>
 * Then an object's field holds its default null until its one write, and that stream from then on.
 * The prefix reads the field once (into a local) and goes to the loop as written when it is null,
 * so whenever the rewrite transfers, every iteration of the original would have read that same
 * stream. Writes by reflection, {@code Unsafe} or deserialization are outside this proof (they are
 * outside what javac-compiled code does with a field, as they are for final fields). Stateless.
 */
final class FieldStreams {

    private FieldStreams() {
    }

    static void check(ClassNode cn, MethodNode loopMethod, StreamRef ref) throws Left {
        if (!ref.isField()) {
            return;
        }
        if ((loopMethod.access & ACC_STATIC) != 0 || !ref.owner().equals(cn.name)) {
            throw new Left("not-local", "the stream is a field of another object: who writes it cannot be seen from this class");
        }
        if (cn.version < V1_7) {
            // Stack map frames are optional before Java 7: without them Receivers cannot see merge points.
            throw new Left("field-written", "the stream is a field, and the class file (before Java 7) may lack the frames"
                    + " its writes are proven with");
        }
        if (storesLocalZero(loopMethod)) {
            throw new Left("field-written", "the method assigns to this (local 0), so the field's object is not known");
        }
        FieldNode f = declared(cn, ref);
        if (f == null) {
            throw new Left("field-written", "the stream field " + ref.name() + " is inherited: its class's writes cannot be seen here");
        }
        boolean onlyHere = (f.access & ACC_FINAL) != 0
                || (f.access & ACC_PRIVATE) != 0 && cn.nestHostClass == null
                && (cn.nestMembers == null || cn.nestMembers.isEmpty());
        if (!onlyHere) {
            throw new Left("field-written", "the stream field " + ref.name() + " is not final and other classes may write it"
                    + ((f.access & ACC_PRIVATE) != 0 ? " (private, but this class has nestmates)" : " (not private)"));
        }
        for (MethodNode m : cn.methods) {
            checkWrites(cn, m, ref);
        }
    }

    private static void checkWrites(ClassNode cn, MethodNode m, StreamRef ref) throws Left {
        int writes = 0;
        boolean callsOwnConstructor = false;
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i.getOpcode() == PUTFIELD && isRef((FieldInsnNode) i, ref)) {
                if (!m.name.equals("<init>")) {
                    throw new Left("field-written", "the stream field " + ref.name() + " is written by " + m.name
                            + ", not only by a constructor: it may change while the loop runs");
                }
                if (!Receivers.isThis(i)) {
                    throw new Left("field-written", "a constructor writes the stream field " + ref.name()
                            + " on an object that cannot be proven to be the one it constructs");
                }
                writes++;
            }
            callsOwnConstructor |= i instanceof MethodInsnNode mi && mi.getOpcode() == INVOKESPECIAL
                    && mi.name.equals("<init>") && mi.owner.equals(cn.name);
        }
        if (writes == 0) {
            return;
        }
        if (writes > 1 || callsOwnConstructor || hasBackwardJump(m) || storesLocalZero(m)) {
            throw new Left("field-written", "a constructor may write the stream field " + ref.name()
                    + " more than once on one object (two writes, a loop, or a call to another constructor)");
        }
    }

    private static boolean isRef(FieldInsnNode f, StreamRef ref) {
        return f.owner.equals(ref.owner()) && f.name.equals(ref.name()) && f.desc.equals(ref.desc());
    }

    private static FieldNode declared(ClassNode cn, StreamRef ref) {
        for (FieldNode f : cn.fields) {
            if (f.name.equals(ref.name()) && f.desc.equals(ref.desc()) && (f.access & ACC_STATIC) == 0) {
                return f;
            }
        }
        return null;
    }

    static boolean storesLocalZero(MethodNode m) {
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (Insns.var(i, ASTORE) == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasBackwardJump(MethodNode m) {
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof JumpInsnNode j && m.instructions.indexOf(j.label) <= m.instructions.indexOf(j)) {
                return true;
            }
            if (i.getType() == AbstractInsnNode.TABLESWITCH_INSN || i.getType() == AbstractInsnNode.LOOKUPSWITCH_INSN) {
                return true; // not worth proving: no constructor of a forwarder switches
            }
        }
        for (org.objectweb.asm.tree.TryCatchBlockNode t : m.tryCatchBlocks) {
            if (m.instructions.indexOf(t.handler) < m.instructions.indexOf(t.end)) {
                return true; // a handler that can run the protected code again
            }
        }
        return false;
    }
}
