package dev.l7splice.agent.instrument.loops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copy loops as legacy code writes them, compiled by javac with the tests. Methods named
 * {@code rewritten*} must be offloaded; {@code left*} must stay as they are. Each returns a value
 * that depends on the loop's exit state (n, a counter), so behaviour can be compared.
 */
@SuppressWarnings("unused")
public final class CopyLoopFixtures {

    private CopyLoopFixtures() {
    }

    public static long rewrittenPlain(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }

    public static long rewrittenPositiveFlushLongCounter(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[4096];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
            total += n;
        }
        return total * 4 + n + 2;
    }

    public static long rewrittenNonNegativeIntCounter(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[1000];
        int total = 7;
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            total += n;
            out.write(buf, 0, n);
        }
        return total;
    }

    public static long rewrittenForForm(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[333];
        long total = 0;
        for (int n; (n = in.read(buf)) != -1; total += n) {
            out.write(buf, 0, n);
        }
        return total;
    }

    public static long rewrittenEnteredByJump(InputStream in, OutputStream out, boolean flag) throws IOException {
        byte[] buf = new byte[512];
        long total = 0;
        if (flag) {
            total = 100;
        } else {
            total = 200;
        }
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    public static long rewrittenInsideTry(InputStream in, OutputStream out) {
        long total = 0;
        try {
            byte[] buf = new byte[2048];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            return -total;
        }
        return total;
    }

    public static long leftXor(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            for (int i = 0; i < n; i++) {
                buf[i] ^= 0x5a;
            }
            out.write(buf, 0, n);
        }
        return n;
    }

    public static long leftCountsValue(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long sevens = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            sevens += count(buf, n);
        }
        return sevens;
    }

    public static long leftOtherBuffer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        byte[] other = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(other, 0, n);
        }
        return n;
    }

    public static long leftOffset(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int off = 0;
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            out.write(buf, off, n);
        }
        return n;
    }

    public static long leftNUsedElsewhere(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long chunks = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            chunks += n / 100;
        }
        return chunks;
    }

    public static long leftTwoStreams(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        OutputStream copy = new java.io.ByteArrayOutputStream();
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            copy.write(buf, 0, n);
        }
        return ((java.io.ByteArrayOutputStream) copy).size();
    }

    public static long leftDoWhile(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        do {
            n = in.read(buf);
            if (n > 0) {
                out.write(buf, 0, n);
            }
        } while (n != -1);
        return n;
    }

    private static int count(byte[] b, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += b[i] == 7 ? 1 : 0;
        }
        return c;
    }
}
