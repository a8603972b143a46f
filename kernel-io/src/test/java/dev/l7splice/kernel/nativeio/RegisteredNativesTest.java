package dev.l7splice.kernel.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * JNI_OnLoad fails the load for a table entry that matches no native (wrong name or signature),
 * but a native that no table names would only fail at its first call, perhaps in production on a
 * rare path. So: every native method of {@link LinuxIo}, with its JNI descriptor, is exactly the
 * set of entries in the C files' registration tables.
 */
class RegisteredNativesTest {

    /** A table entry: { "name", "descriptor", (void *) function }. */
    private static final Pattern ENTRY = Pattern.compile("\\{\\s*\"(\\w+)\",\\s*\"([^\"]+)\",\\s*\\(void \\*\\)");

    @Test
    void everyNativeOfLinuxIoIsInARegistrationTable() throws IOException {
        Set<String> java = new TreeSet<>();
        for (Method m : LinuxIo.class.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                java.add(m.getName() + descriptor(m));
            }
        }
        Set<String> c = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/c"))) { // surefire runs in the module dir
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".c"))::iterator) {
                Matcher m = ENTRY.matcher(Files.readString(f));
                while (m.find()) {
                    c.add(m.group(1) + m.group(2));
                }
            }
        }
        assertEquals(Set.of(), minus(java, c), "natives of LinuxIo that no table registers");
        assertEquals(Set.of(), minus(c, java), "table entries that match no native of LinuxIo");
        assertEquals(java.size(), c.size());
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static String descriptor(Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            sb.append(p.descriptorString());
        }
        return sb.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
