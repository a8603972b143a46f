package dev.l7splice.it.libs;

import com.google.common.io.ByteStreams;
import dev.l7splice.api.L7Splice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.io.IOUtils;
import org.springframework.util.StreamUtils;

/**
 * The copy helpers a gateway calls, by name. Library classes are linked only when a helper runs,
 * so a JVM without Commons IO, Guava or Spring runs the others (and fails only those, with the
 * NoClassDefFoundError the application would get anyway).
 */
final class CopyHelpers {

    /** Copy to end of stream; the result must be the whole body. */
    static final List<String> UNBOUNDED = List.of("transferTo", "commons-copy", "commons-copy-buffer",
            "commons-copylarge", "commons-copylarge-array", "guava-copy", "spring-copy", "api-splice");
    /** Copy exactly a limit; the result must be the limit, and not a byte more may be read. */
    static final List<String> BOUNDED = List.of("commons-range", "commons-range-array", "spring-range",
            "api-splice-bounded");
    /** The ones that need no library on the class path. */
    static final List<String> JDK_AND_API = List.of("transferTo", "api-splice", "api-splice-bounded");

    private CopyHelpers() {
    }

    static boolean bounded(String helper) {
        return BOUNDED.contains(helper);
    }

    /**
     * What the helper returns for a body of {@code n} bytes: Commons IO's {@code copy} says -1
     * above Integer.MAX_VALUE, Spring's {@code copy} casts the count to int; the others the count.
     */
    static long expectedResult(String helper, long n) {
        switch (helper) {
            case "commons-copy": return n > Integer.MAX_VALUE ? -1 : n;
            case "spring-copy": return (int) n;
            default: return n;
        }
    }

    /** Runs one helper; {@code limit} is used by the bounded ones. Returns the count it returned. */
    static long copy(String helper, InputStream in, OutputStream out, long limit) throws IOException {
        switch (helper) {
            case "transferTo": return in.transferTo(out);
            case "commons-copy": return IOUtils.copy(in, out);
            case "commons-copy-buffer": return IOUtils.copy(in, out, 4096);
            case "commons-copylarge": return IOUtils.copyLarge(in, out);
            case "commons-copylarge-array": return IOUtils.copyLarge(in, out, new byte[5003]);
            case "commons-range": return IOUtils.copyLarge(in, out, 0, limit);
            case "commons-range-array": return IOUtils.copyLarge(in, out, 0, limit, new byte[3001]);
            case "guava-copy": return ByteStreams.copy(in, out);
            case "spring-copy": return StreamUtils.copy(in, out);
            case "spring-range": return StreamUtils.copyRange(in, out, 0, limit - 1);
            case "api-splice": return L7Splice.splice(in, out, -1);
            case "api-splice-bounded": return L7Splice.splice(in, out, limit);
            default: throw new IllegalArgumentException("no helper " + helper);
        }
    }
}
