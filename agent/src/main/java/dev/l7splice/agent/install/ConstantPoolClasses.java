package dev.l7splice.agent.install;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes a class file names in its constant pool ({@code CONSTANT_Class} entries, as binary
 * names, array types reduced to their element class): what the JVM may resolve, through the
 * class's own loader, the first time one of its instructions runs. Bytes that are not a class file
 * the walk understands give an empty list. Pure; any thread.
 */
final class ConstantPoolClasses {

    private ConstantPoolClasses() {
    }

    static List<String> of(byte[] b) {
        List<String> out = new ArrayList<>();
        try {
            if (b.length < 10 || u2(b, 0) != 0xCAFE || u2(b, 2) != 0xBABE) {
                return out;
            }
            int count = u2(b, 8);
            int[] utf8At = new int[count];
            int[] classNameIndex = new int[count];
            int classes = 0;
            int at = 10;
            for (int i = 1; i < count; i++) {
                int tag = b[at] & 0xFF;
                switch (tag) {
                    case 1 -> {
                        utf8At[i] = at;
                        at += 3 + u2(b, at + 1);
                    }
                    case 7 -> {
                        classNameIndex[classes++] = u2(b, at + 1);
                        at += 3;
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5;
                    case 5, 6 -> {
                        at += 9;
                        i++;
                    }
                    case 8, 16, 19, 20 -> at += 3;
                    case 15 -> at += 4;
                    default -> {
                        return new ArrayList<>(); // a later class file version: nothing rather than guesses
                    }
                }
            }
            for (int k = 0; k < classes; k++) {
                int u = utf8At[classNameIndex[k]];
                String name = new String(b, u + 3, u2(b, u + 1), StandardCharsets.UTF_8);
                String element = elementClass(name);
                if (element != null) {
                    out.add(element.replace('/', '.'));
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return new ArrayList<>();
        }
        return out;
    }

    /** "a/B" as it is, "[[La/B;" as "a/B", an array of primitives as null. */
    private static String elementClass(String name) {
        if (name.isEmpty() || name.charAt(0) != '[') {
            return name;
        }
        int d = name.lastIndexOf('[') + 1;
        return name.charAt(d) == 'L' && name.endsWith(";") ? name.substring(d + 1, name.length() - 1) : null;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
