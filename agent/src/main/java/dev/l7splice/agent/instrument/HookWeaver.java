package dev.l7splice.agent.instrument;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Puts {@link MethodHook} prologues into one class file, with ASM's core API only: no class is
 * loaded or resolved, the constant pool is kept and every other method is copied as it is; the
 * class keeps its shape (no member added or changed), so it is fit for retransformation. Throws
 * when a hook does not fit the method it names (a missing field, a static method where the hook
 * loads {@code this}, another return type): the caller then leaves the class unchanged.
 * Stateless; any thread.
 */
final class HookWeaver {

    private HookWeaver() {
    }

    /** The class with its hooks, or null when no method matched any of them. */
    static byte[] weave(byte[] classFile, List<MethodHook> hooks) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        Visitor v = new Visitor(writer, hooks);
        reader.accept(v, ClassReader.EXPAND_FRAMES);
        return v.woven ? writer.toByteArray() : null;
    }

    private static final class Visitor extends ClassVisitor {
        private final List<MethodHook> hooks;
        private final Set<String> fields = new HashSet<>();
        private String owner;
        private boolean frames;
        boolean woven;

        Visitor(ClassVisitor next, List<MethodHook> hooks) {
            super(Opcodes.ASM9, next);
            this.hooks = hooks;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            frames = (version & 0xFFFF) >= Opcodes.V1_6; // stack map frames from class file version 50
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public org.objectweb.asm.FieldVisitor visitField(int access, String name, String desc, String signature,
                                                         Object value) {
            fields.add(name + ':' + desc); // fields come before methods
            return super.visitField(access, name, desc, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, desc, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return next;
            }
            for (MethodHook h : hooks) {
                if (h.matches(access, name, desc)) {
                    check(h, access, desc);
                    woven = true;
                    return new HookPrologue(next, h, owner, access, desc, frames);
                }
            }
            return next;
        }

        private void check(MethodHook h, int access, String desc) {
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            Type[] entryParams = Type.getArgumentTypes(h.callDesc());
            for (int i = 0; i < h.loads().length; i++) {
                String l = h.loads()[i];
                if (l.startsWith("this") && isStatic) {
                    throw new IllegalStateException(h.method() + desc + " is static");
                }
                if (l.startsWith("this.") && !fields.contains(l.substring(5) + ':' + entryParams[i].getDescriptor())) {
                    throw new IllegalStateException(owner + " declares no field " + l.substring(5) + " "
                            + entryParams[i].getDescriptor());
                }
            }
            int sort = Type.getReturnType(desc).getSort();
            boolean fits = switch (h.outcome()) {
                case CONTINUE, REPLACE_ARGUMENT -> true;
                case RETURN_IF_TRUE -> sort == Type.VOID || sort == Type.BOOLEAN;
                case RETURN_COUNT -> sort == Type.LONG || sort == Type.INT;
            };
            if (!fits) {
                throw new IllegalStateException(h.method() + desc + " does not fit " + h.outcome());
            }
        }
    }
}
