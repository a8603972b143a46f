package dev.l7splice.agent.instrument.loops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Forwarders written the widely copied {@code ForwardThread} way (the read a statement, a break on
 * -1, a flush after each write, streams in fields set by the constructor), compiled by javac with
 * the tests; separate top-level classes so that none is another's nestmate. Each class is built
 * with {@code (InputStream, OutputStream)}; methods named {@code rewritten*} must be offloaded,
 * {@code left*} must stay, and each returns a value that depends on the loop's exit state.
 */
final class FieldLoopFixtures {

    static final Class<?>[] ALL = {Forwarder.class, FinalForwarder.class, SetterForwarder.class,
            OpenForwarder.class, TwiceForwarder.class, ChainedForwarder.class, NestHolder.Pump.class,
            NestHolder.FinalPump.class, NestHolder.Inner.class, StaticForwarder.class, WrappingForwarder.class,
            AliasForwarder.class};

    private FieldLoopFixtures() {
    }
}

/** ForwardThread itself: private non-final fields, written once by the constructor. */
final class Forwarder {
    private InputStream mInputStream;
    private OutputStream mOutputStream;
    private long counted;
    private volatile boolean running = true;

    Forwarder(InputStream in, OutputStream out) {
        mInputStream = in;
        mOutputStream = out;
    }

    long rewrittenForward() throws IOException {
        byte[] buffer = new byte[4096];
        long total = 0;
        while (true) {
            int bytesRead = mInputStream.read(buffer);
            if (bytesRead == -1) {
                break;
            }
            mOutputStream.write(buffer, 0, bytesRead);
            mOutputStream.flush();
            total += bytesRead;
        }
        return total;
    }

    long rewrittenNegativeBreak() {
        byte[] buffer = new byte[1000];
        int n = 5;
        try {
            for (;;) {
                n = mInputStream.read(buffer);
                if (n < 0) {
                    break;
                }
                mOutputStream.write(buffer, 0, n);
            }
        } catch (IOException e) {
            return -2;
        }
        return n;
    }

    long rewrittenNonPositiveBreakLocals(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[333];
        int total = 11;
        while (true) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                break;
            }
            total += n;
            out.write(buffer, 0, n);
        }
        return total;
    }

    long leftReturnInsteadOfBreak() throws IOException {
        byte[] buffer = new byte[4096];
        long total = 0;
        while (true) {
            int n = mInputStream.read(buffer);
            if (n == -1) {
                return total;
            }
            mOutputStream.write(buffer, 0, n);
            total += n;
        }
    }

    long leftZeroBreak() throws IOException {
        byte[] buffer = new byte[4096];
        while (true) {
            int n = mInputStream.read(buffer);
            if (n == 0) {
                break;
            }
            if (n < 0) {
                return -1;
            }
            mOutputStream.write(buffer, 0, n);
        }
        return 0;
    }

    /** A flag another thread may clear mid-body: the loop would stop, a transfer would not. */
    long leftRunningFlag() throws IOException {
        byte[] buffer = new byte[4096];
        while (running) {
            int n = mInputStream.read(buffer);
            if (n == -1) {
                break;
            }
            mOutputStream.write(buffer, 0, n);
        }
        return 6;
    }

    long leftCountInField() throws IOException {
        byte[] buffer = new byte[4096];
        while (true) {
            int n = mInputStream.read(buffer);
            if (n == -1) {
                break;
            }
            mOutputStream.write(buffer, 0, n);
            counted += n;
        }
        return counted;
    }
}

/** Final fields: taken whatever their access. */
final class FinalForwarder {
    final InputStream in;
    protected final OutputStream out;

    FinalForwarder(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    long rewrittenFinalFields() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }
}

/** A setter may swap the stream while the loop runs: left. */
final class SetterForwarder {
    private InputStream in;
    private OutputStream out;

    SetterForwarder(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    void setOut(OutputStream out) {
        this.out = out;
    }

    long leftSetter() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            out.flush();
        }
        return n;
    }
}

/** Package-private, non-final: any class of the package may write it. */
final class OpenForwarder {
    InputStream in;
    private final OutputStream out;

    OpenForwarder(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    long leftOpenField() throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            int n = in.read(buf);
            if (n == -1) {
                break;
            }
            out.write(buf, 0, n);
        }
        return 1;
    }
}

/** The constructor writes the field twice (and could start the loop in between). */
final class TwiceForwarder {
    private InputStream in;
    private final OutputStream out;

    TwiceForwarder(InputStream in, OutputStream out) {
        this.in = null;
        this.in = in;
        this.out = out;
    }

    long leftTwice() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }
}

/** A writing constructor that calls another constructor of the class. */
final class ChainedForwarder {
    private InputStream in;
    private final OutputStream out;

    ChainedForwarder(InputStream in, OutputStream out) {
        this(out);
        this.in = in;
    }

    private ChainedForwarder(OutputStream out) {
        this.out = out;
    }

    long leftChained() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }
}

/** A static field: any thread may replace it. */
final class StaticForwarder {
    private static OutputStream out;
    private final InputStream in;

    StaticForwarder(InputStream in, OutputStream o) {
        this.in = in;
        out = o;
    }

    long leftStatic() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }
}

/** The constructor wraps what it is given (a NEW and DUP before the write): still one write on this. */
final class WrappingForwarder {
    private InputStream in;
    private OutputStream out;

    WrappingForwarder(InputStream in, OutputStream out) {
        this.in = new java.io.BufferedInputStream(in, 512);
        this.out = java.util.Objects.requireNonNull(out, "out");
    }

    long rewrittenWrapped() throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            int n = in.read(buf);
            if (n == -1) {
                break;
            }
            out.write(buf, 0, n);
            out.flush();
        }
        return 4;
    }
}

/** The constructor writes through another variable: not proven to be the object it constructs. */
final class AliasForwarder {
    private InputStream in;
    private final OutputStream out;

    AliasForwarder(InputStream in, OutputStream out) {
        this.out = out;
        AliasForwarder self = this;
        self.in = in;
    }

    long leftAlias() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }
}

/** Nested classes: nestmates may write each other's private fields; an inner class reads its outer's. */
final class NestHolder {
    private InputStream in;
    private OutputStream out;

    NestHolder(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    static final class Pump {
        private InputStream in;
        private OutputStream out;

        Pump(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        long leftNestmates() throws IOException {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
            return n;
        }
    }

    static final class FinalPump {
        private final InputStream in;
        private final OutputStream out;

        FinalPump(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        long rewrittenNestedFinal() throws IOException {
            byte[] buf = new byte[8192];
            while (true) {
                int n = in.read(buf);
                if (n == -1) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
            return 3;
        }
    }

    final class Inner {
        Inner() {
        }

        long leftEnclosing() throws IOException {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
            return n;
        }
    }
}
