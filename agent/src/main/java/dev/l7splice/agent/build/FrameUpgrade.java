package dev.l7splice.agent.build;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step, not part of the agent (the jar layout leaves it out): copies the shaded jar and
 * gives every class under a prefix that is older than Java 6 (ASM's own classes are Java 5 class
 * files) class file version 52 and stack map frames. The JVM verifies Java 5 class files with its
 * old type-inferencing verifier, which made loading ASM the largest part of the agent's start-up
 * (bench/startup); with frames it runs the type-checking verifier, which only checks them. The
 * bytecode is unchanged; debug tables are left out (shaded library code, and less to read). Run by the agent's pom with the shaded jar as its class path, so frames
 * are computed against the classes themselves.
 *
 * <p>Arguments: input jar, output jar, internal-name prefix (for example {@code dev/l7splice/shaded/asm/}).
 */
public final class FrameUpgrade {

    private FrameUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        int upgraded = 0;
        try (ZipFile in = new ZipFile(args[0]); ZipOutputStream out = new ZipOutputStream(new FileOutputStream(args[1]))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().startsWith(args[2]) && entry.getName().endsWith(".class") && major(bytes) < 50) {
                    bytes = upgrade(bytes);
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        System.out.println("FrameUpgrade: " + upgraded + " classes under " + args[2] + " now Java 8 class files with frames");
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
    }

    private static byte[] upgrade(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_DEBUG); // no line or local variable tables: smaller classes to read at start-up
        return writer.toByteArray();
    }
}
