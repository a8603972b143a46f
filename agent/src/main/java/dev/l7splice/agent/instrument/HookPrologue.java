package dev.l7splice.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes one {@link MethodHook}'s prologue at the start of a method's code and leaves the rest as
 * it is. The branch it adds gets a stack map frame of its own, built from the method's descriptor
 * (the locals on entry), so nothing is computed from the class hierarchy and no class is loaded;
 * that needs frames expanded ({@code ClassReader.EXPAND_FRAMES}). An instruction always follows
 * that frame, so it never shares an offset with a frame of the original code. Used on the
 * transforming thread only, once per method.
 */
final class HookPrologue extends MethodVisitor {

    private final MethodHook hook;
    private final String owner;
    private final boolean isStatic;
    private final Type[] params;
    private final Type returned;
    private final boolean frames;
    private int loadedSize;

    HookPrologue(MethodVisitor next, MethodHook hook, String owner, int access, String desc, boolean frames) {
        super(Opcodes.ASM9, next);
        this.hook = hook;
        this.owner = owner;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.params = Type.getArgumentTypes(desc);
        this.returned = Type.getReturnType(desc);
        this.frames = frames;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        Type[] entryParams = Type.getArgumentTypes(hook.callDesc());
        for (int i = 0; i < hook.loads().length; i++) {
            load(hook.loads()[i], entryParams[i]);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, MethodHook.BOOTSTRAP + hook.entry(), hook.call(), hook.callDesc(), false);
        Label own = new Label();
        switch (hook.outcome()) {
            case CONTINUE -> { }
            case REPLACE_ARGUMENT -> super.visitVarInsn(Opcodes.ASTORE, slot(Integer.parseInt(hook.loads()[0])));
            case RETURN_IF_TRUE -> {
                super.visitJumpInsn(Opcodes.IFEQ, own);
                if (returned.getSort() == Type.BOOLEAN) {
                    super.visitInsn(Opcodes.ICONST_1);
                }
                super.visitInsn(returned.getOpcode(Opcodes.IRETURN));
                frameAt(own, new Object[0]);
                super.visitInsn(Opcodes.NOP);
            }
            case RETURN_COUNT -> {
                super.visitInsn(Opcodes.DUP2);
                super.visitInsn(Opcodes.LCONST_0);
                super.visitInsn(Opcodes.LCMP);
                super.visitJumpInsn(Opcodes.IFEQ, own);
                super.visitInsn(Opcodes.LCONST_1);
                super.visitInsn(Opcodes.LSUB);
                if (returned.getSort() == Type.INT) {
                    super.visitInsn(Opcodes.L2I);
                }
                super.visitInsn(returned.getOpcode(Opcodes.IRETURN));
                frameAt(own, new Object[] {Opcodes.LONG});
                super.visitInsn(Opcodes.POP2);
            }
        }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        // The prologue runs on an empty stack: its loads, or a long compared with a long copy of itself.
        super.visitMaxs(Math.max(maxStack, Math.max(loadedSize, 6)), maxLocals);
    }

    private void load(String what, Type as) {
        if (what.equals("this")) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
        } else if (what.startsWith("this.")) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, owner, what.substring(5), as.getDescriptor());
        } else {
            int i = Integer.parseInt(what);
            super.visitVarInsn(params[i].getOpcode(Opcodes.ILOAD), slot(i));
        }
        loadedSize += as.getSize() + (what.startsWith("this.") ? 1 : 0);
    }

    private int slot(int param) {
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < param; i++) {
            slot += params[i].getSize();
        }
        return slot;
    }

    private void frameAt(Label label, Object[] stack) {
        super.visitLabel(label);
        if (!frames) {
            return;
        }
        List<Object> locals = new ArrayList<>();
        if (!isStatic) {
            locals.add(owner);
        }
        for (Type t : params) {
            locals.add(switch (t.getSort()) {
                case Type.BOOLEAN, Type.CHAR, Type.BYTE, Type.SHORT, Type.INT -> Opcodes.INTEGER;
                case Type.FLOAT -> Opcodes.FLOAT;
                case Type.LONG -> Opcodes.LONG;
                case Type.DOUBLE -> Opcodes.DOUBLE;
                case Type.ARRAY -> t.getDescriptor();
                default -> t.getInternalName();
            });
        }
        super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
    }
}
