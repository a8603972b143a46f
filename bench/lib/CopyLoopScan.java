package dev.l7splice.agent.instrument.loops;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * bench/copyloop-scan's harness (compiled by the script against agent/target/classes, in the
 * copy-loop package so it can call the package's own entry points): reads every class of the
 * given jars into memory, then times, over all of them, rounds of (1) the transformer as the JVM
 * calls it for an application class, (2) the constant-pool test alone on every class, its skip
 * list ignored, (3) for comparison, the byte search over the whole file that the test replaced
 * (issue 14), and (4) the full parse and rewrite of the classes that pass the test. Prints
 * classes per second, best of the rounds (the JIT warms up over the first ones).
 */
public final class CopyLoopScan {

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        List<byte[]> classes = new ArrayList<>();
        long bytes = 0;
        for (String jar : args) {
            try (ZipFile z = new ZipFile(jar)) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String n = entry.getName();
                    if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/")) {
                        try (InputStream in = z.getInputStream(entry)) {
                            byte[] b = in.readAllBytes();
                            names.add(n.substring(0, n.length() - 6));
                            classes.add(b);
                            bytes += b.length;
                        }
                    }
                }
            }
        }
        System.out.printf("%d classes, %.1f MiB, from %d jars%n", classes.size(), bytes / 1048576.0, args.length);
        CopyLoopTransformer t = new CopyLoopTransformer(null, true, null);
        ClassLoader app = new URLClassLoader(new URL[] {new File(".").toURI().toURL()});
        Module unnamed = app.getUnnamedModule();
        double transform = 0;
        double scan = 0;
        double parse = 0;
        double search = 0;
        int searched = 0;
        int passed = 0;
        int rewritten = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            int changed = 0;
            for (int i = 0; i < classes.size(); i++) {
                if (t.transform(unnamed, app, names.get(i), null, null, classes.get(i)) != null) {
                    changed++;
                }
            }
            long t1 = System.nanoTime();
            List<byte[]> candidates = new ArrayList<>();
            for (byte[] b : classes) {
                if (ConstantPoolScan.mayHoldCopyLoop(b)) {
                    candidates.add(b);
                }
            }
            long t2 = System.nanoTime();
            rewritten = 0;
            for (byte[] b : candidates) {
                try {
                    if (CopyLoopRewriter.rewrite(b, () -> null, true).bytes() != null) {
                        rewritten++;
                    }
                } catch (RuntimeException e) {
                    // left unchanged, as the transformer would
                }
            }
            long t3 = System.nanoTime();
            searched = 0;
            for (byte[] b : classes) {
                if ((contains(b, "([B)I") || contains(b, "([BII)I")) && contains(b, "([BII)V")) {
                    searched++;
                }
            }
            long t4 = System.nanoTime();
            search = Math.max(search, classes.size() / ((t4 - t3) / 1e9));
            passed = candidates.size();
            transform = Math.max(transform, classes.size() / ((t1 - t0) / 1e9));
            scan = Math.max(scan, classes.size() / ((t2 - t1) / 1e9));
            parse = Math.max(parse, candidates.size() / Math.max((t3 - t2) / 1e9, 1e-9));
            if (round == 0) {
                System.out.printf("first round (cold): transformer %.0f classes/s, %d changed%n",
                        classes.size() / ((t1 - t0) / 1e9), changed);
            }
        }
        System.out.printf("transformer as called by the JVM (skip list, then the test): %.0f classes/s%n", transform);
        System.out.printf("constant-pool test alone, every class: %.0f classes/s; %d of %d pass (%.1f%%)%n",
                scan, passed, classes.size(), 100.0 * passed / classes.size());
        System.out.printf("byte search of the whole file (before issue 14): %.0f classes/s; %d pass%n", search, searched);
        System.out.printf("full parse and rewrite of those %d: %.0f classes/s; %d would be rewritten%n",
                passed, parse, rewritten);
    }

    private static boolean contains(byte[] b, String ascii) {
        outer:
        for (int i = 0, last = b.length - ascii.length(); i <= last; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (b[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
