package dev.l7splice.agent.instrument.loops;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Finds which instruction pushed the object a {@code PUTFIELD} stores into, walking back over
 * straight-line code only ({@code this.in = in}, {@code this.in = s.getInputStream()},
 * {@code this.in = new BufferedInputStream(...)}). Anything it does not model (a branch target, a
 * frame, an instruction it has no stack effect for) answers "not proven". Stateless.
 */
final class Receivers {

    private Receivers() {
    }

    /** True when the object {@code putfield} writes to is pushed by {@code ALOAD 0}. */
    static boolean isThis(AbstractInsnNode putfield) {
        int depth = 2; // the receiver's position from the top of the stack: under the value
        for (AbstractInsnNode p = putfield.getPrevious(); p != null; p = p.getPrevious()) {
            if (p instanceof LabelNode || p instanceof FrameNode) {
                if (p instanceof FrameNode) {
                    return false; // a merge point: another path may have pushed something else
                }
                continue; // a label without a frame is no jump target (the class has frames)
            }
            if (p.getOpcode() < 0) {
                continue; // line numbers
            }
            if (p.getOpcode() == DUP) {
                if (depth <= 2) {
                    depth = 1; // both copies come from the value under them
                } else {
                    depth -= 1;
                }
                continue;
            }
            int[] effect = effect(p);
            if (effect == null) {
                return false;
            }
            if (depth <= effect[1]) {
                return depth == 1 && effect[1] == 1 && Insns.var(p, ALOAD) == 0;
            }
            depth = depth - effect[1] + effect[0];
        }
        return false;
    }

    /** {pops, pushes} counted in stack entries, or null for an instruction not modelled. */
    private static int[] effect(AbstractInsnNode p) {
        int op = p.getOpcode();
        if (op >= ILOAD && op <= ALOAD || op >= ACONST_NULL && op <= DCONST_1 || op == BIPUSH || op == SIPUSH
                || op == LDC || op == NEW || op == GETSTATIC) {
            return new int[] {0, 1};
        }
        if (op == GETFIELD || op == CHECKCAST) {
            return new int[] {1, 1};
        }
        if (p instanceof MethodInsnNode m) {
            int args = Type.getArgumentTypes(m.desc).length + (op == INVOKESTATIC ? 0 : 1);
            return new int[] {args, Type.getReturnType(m.desc) == Type.VOID_TYPE ? 0 : 1};
        }
        if (p instanceof InvokeDynamicInsnNode d) {
            return new int[] {Type.getArgumentTypes(d.desc).length, Type.getReturnType(d.desc) == Type.VOID_TYPE ? 0 : 1};
        }
        return null;
    }
}
