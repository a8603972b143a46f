package dev.l7splice.agent.install;

import static dev.l7splice.agent.runtime.ConstantPoolEntries.u2;

import dev.l7splice.agent.runtime.ConstantPoolEntries;

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
            if (!ConstantPoolEntries.isClassFile(b)) {
                return out;
            }
            int count = ConstantPoolEntries.count(b);
            int[] utf8At = new int[count];
            int[] classNameIndex = new int[count];
            int classes = 0;
            int at = ConstantPoolEntries.FIRST;
            for (int i = 1; i < count; i++) {
                int len = ConstantPoolEntries.length(b, at);
                if (len < 0) {
                    return new ArrayList<>(); // a later class file version: nothing rather than guesses
                }
                int tag = ConstantPoolEntries.tag(b, at);
                if (tag == 1) {
                    utf8At[i] = at;
                } else if (tag == 7) {
                    classNameIndex[classes++] = u2(b, at + 1);
                } else if (ConstantPoolEntries.takesTwoSlots(tag)) {
                    i++;
                }
                at += len;
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
}
