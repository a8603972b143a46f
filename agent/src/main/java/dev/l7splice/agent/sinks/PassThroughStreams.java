package dev.l7splice.agent.sinks;

import dev.l7splice.agent.ends.Fields;
import java.io.OutputStream;
import java.util.Set;

/**
 * Output stream wrappers that frameworks put over a server's response stream and that provably add
 * nothing on the way to it: no buffer, no count, no transformation, every byte written goes to the
 * wrapped stream at once, in order. Such a wrapper is looked through, so the sink below it is
 * resolved as if the application had passed it directly; what the wrapper leaves out (a close, a
 * flush) concerns only the application's own calls, which the engine never makes on its behalf.
 *
 * <p>Matched by exact class name only (a subclass may override anything), each checked with javap
 * on the versions named:
 * <ul>
 * <li>Spring's {@code StreamUtils$NonClosingOutputStream} (spring-core 6.2.19 and 7.0.8): a
 *     {@code FilterOutputStream} whose {@code write(byte[], int, int)} calls {@code out.write} with
 *     the same arguments and whose {@code close()} does nothing; {@code write(int)}, {@code
 *     write(byte[])} and {@code flush()} are FilterOutputStream's, which pass straight to {@code out}.
 *     What {@code StreamUtils.nonClosing(out)} returns.</li>
 * <li>Spring's {@code StreamUtils$NonFlushingOutputStream} (7.0.8): the same, and {@code flush()}
 *     does nothing. What Spring MVC's {@code ServletServerHttpResponse.getBody()} returns by default
 *     ({@code spring.http.response.flush.enabled} unset), so the stream Spring 7's
 *     {@code ResourceHttpMessageConverter} (static resources, {@code ResponseEntity<Resource>}) and
 *     {@code StreamingResponseBody} write to. The engine flushes the server's buffer before its first
 *     kernel byte just as it does for the bare stream, which is no more than the server itself does
 *     once its buffer fills.</li>
 * </ul>
 * The delegate is {@code FilterOutputStream.out}: not declared final, but these classes assign it
 * only in their constructor. Immutable; thread-safe; reads java.io's field (opened to the agent by
 * the installer).
 */
final class PassThroughStreams {

    /** Spring's wrappers (instrumentation.spring-wrappers.enabled). */
    static final Set<String> SPRING = Set.of(
            "org.springframework.util.StreamUtils$NonClosingOutputStream",
            "org.springframework.util.StreamUtils$NonFlushingOutputStream");

    /** Wrappers over wrappers are looked through up to this depth (Spring never nests more than two). */
    private static final int MAX_DEPTH = 4;

    private PassThroughStreams() {
    }

    /** Cheap test: one hash lookup of the class name. */
    static boolean isWrapper(OutputStream out) {
        return SPRING.contains(out.getClass().getName());
    }

    /**
     * The stream below the pass-through wrappers around {@code out}, or {@code out} itself when it is
     * not one of them; null when a wrapper cannot be read (its delegate is missing or java.io is not
     * open to the agent), and the caller then leaves the copy alone.
     */
    static OutputStream unwrap(OutputStream out) {
        OutputStream s = out;
        for (int depth = 0; depth < MAX_DEPTH && isWrapper(s); depth++) {
            try {
                s = (OutputStream) Fields.get(s, "out"); // FilterOutputStream.out
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
            if (s == null) {
                return null;
            }
        }
        return s;
    }
}
