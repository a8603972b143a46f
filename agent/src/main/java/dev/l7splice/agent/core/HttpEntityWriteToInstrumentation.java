package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * Targets: Apache HttpClient 5 classic's response entity, httpcore5's {@code
 * org.apache.hc.core5.http.impl.io.support.IncomingHttpEntity}. Its {@code writeTo(out)} copies its
 * {@code content} stream (the body's {@code ContentLengthInputStream}, {@code ChunkedInputStream} or
 * {@code IdentityInputStream}) into {@code out} with a 4 KiB loop of its own and closes the stream
 * (httpcore5 5.4.4, via {@code AbstractHttpEntity.writeTo(entity, out)}); the client's wrapper
 * ({@code ResponseEntityProxy.writeTo}) then releases the connection. The advice offers the same copy
 * to the dispatch first; when it is taken, the stream is closed as the library closes it, also
 * after a failure, and the library's loop is skipped. Wrappers ({@code HttpEntityWrapper}) delegate
 * to this method, so they reach it too.
 */
final class HttpEntityWriteToInstrumentation {

    static final String TYPE = "org.apache.hc.core5.http.impl.io.support.IncomingHttpEntity";
    /**
     * HttpClient 4.5's response entity, httpcore 4.4's {@code org.apache.http.entity.BasicHttpEntity}:
     * its {@code writeTo(out)} copies its {@code content} the same way and closes it (4.4.16); its
     * wrapper (4.5's {@code ResponseEntityProxy}) then releases the connection. The same advice fits.
     */
    static final String TYPE_4 = "org.apache.http.entity.BasicHttpEntity";

    private HttpEntityWriteToInstrumentation() {
    }

    static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(WriteToAdvice.class).on(named("writeTo").and(returns(void.class))
                .and(takesArguments(OutputStream.class))));
    }

    /** Inlined into IncomingHttpEntity.writeTo: bootstrap-visible classes only. */
    static final class WriteToAdvice {

        private WriteToAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.FieldValue("content") InputStream content, @Advice.Argument(0) OutputStream out)
                throws IOException {
            if (content == null || out == null) {
                return false; // the library's own checks and messages
            }
            long handled;
            try {
                handled = L7Dispatch.enterTransferTo(content, out);
            } catch (IOException | RuntimeException e) {
                try {
                    content.close(); // as the library's try-with-resources does
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            if (handled == 0L) {
                return false;
            }
            content.close();
            return true;
        }
    }
}
