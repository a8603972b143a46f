package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import dev.l7splice.agent.instrument.loops.CopyLoopRecogniser.Left;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Where a loop's stream comes from: a local variable ({@code ALOAD k}, {@code local >= 0}) or a
 * field of this object ({@code ALOAD 0; GETFIELD owner.name}, {@code local == -1}). Whether a
 * field may be read once instead of on every iteration is {@link FieldStreams}'s proof, not this
 * record's. Immutable; equal refs name the same variable.
 */
record StreamRef(int local, String owner, String name, String desc) {

    static StreamRef local(int slot) {
        return new StreamRef(slot, null, null, null);
    }

    boolean isField() {
        return local < 0;
    }

    /** Instructions this ref's load takes: 1 for a local, 2 for {@code this.field}. */
    int length() {
        return isField() ? 2 : 1;
    }

    /** True when {@code real[i..]} is exactly this ref's load. */
    boolean loadedAt(List<AbstractInsnNode> real, int i) {
        return length() == at(real, i);
    }

    /** The ref whose load is at {@code real[i..]}, or null. */
    static StreamRef parse(List<AbstractInsnNode> real, int i) {
        if (i >= real.size()) {
            return null;
        }
        int slot = Insns.var(real.get(i), ALOAD);
        if (slot >= 0 && i + 1 < real.size() && slot == 0 && real.get(i + 1).getOpcode() == GETFIELD) {
            FieldInsnNode f = (FieldInsnNode) real.get(i + 1);
            return new StreamRef(-1, f.owner, f.name, f.desc);
        }
        return slot >= 0 ? local(slot) : null;
    }

    private int at(List<AbstractInsnNode> real, int i) {
        StreamRef r = parse(real, i);
        return equals(r) ? r.length() : 0;
    }

    /**
     * The stream whose load ends at {@code last} (the instruction right before the read's
     * arguments), with the first instruction of that load as {@code [0]} of {@code start}.
     */
    static StreamRef endingAt(AbstractInsnNode last, AbstractInsnNode[] start) throws Left {
        int slot = Insns.var(last, ALOAD);
        if (slot >= 0) {
            start[0] = last;
            return local(slot);
        }
        if (last != null && last.getOpcode() == GETFIELD) {
            AbstractInsnNode recv = Insns.prevReal(last);
            FieldInsnNode f = (FieldInsnNode) last;
            if (Insns.var(recv, ALOAD) == 0) {
                start[0] = recv;
                return new StreamRef(-1, f.owner, f.name, f.desc);
            }
            throw new Left("not-local", "the stream is a field of another object (an enclosing instance,"
                    + " another connection): who writes it cannot be seen from this class");
        }
        if (last != null && last.getOpcode() == GETSTATIC) {
            throw new Left("not-local", "the stream is a static field (any thread, any class may replace it)");
        }
        if (last instanceof MethodInsnNode mi && mi.name.startsWith("access$")) {
            throw new Left("not-local", "the stream is a field of an enclosing instance, read through "
                    + mi.owner + "." + mi.name + ": who writes it cannot be seen from this class");
        }
        throw new Left("not-local", "the stream is not a local variable or a field of this object");
    }

    /** Pushes the stream: {@code ALOAD k}, or {@code ALOAD 0; GETFIELD} (local 0 proven to be this). */
    void load(InsnList p) {
        p.add(new VarInsnNode(ALOAD, isField() ? 0 : local));
        if (isField()) {
            p.add(new FieldInsnNode(GETFIELD, owner, name, desc));
        }
    }

    @Override
    public String toString() {
        return isField() ? "this." + name : "local " + local;
    }
}
