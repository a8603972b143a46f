package dev.l7splice.agent.sources.httpclient;

import dev.l7splice.agent.ends.Fields;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The parser of Apache HttpClient's classic {@code ChunkedInputStream}, read and driven by name
 * (httpcore5 5.4.4 and httpcore 4.4.16, checked with javap; the same design in both): {@code state}
 * (5.x an enum {@code State}, 4.4 an {@code int}: CHUNK_LEN 1, CHUNK_DATA 2, CHUNK_CRLF 3,
 * CHUNK_INVALID {@code Integer.MAX_VALUE}), {@code chunkSize}, {@code pos} (data read of this chunk),
 * {@code eof}, {@code closed}. Its {@code read} calls the private {@code nextChunk()} whenever the
 * state is not CHUNK_DATA; this class calls that same method at the same point, so every size line,
 * chunk CRLF, the last chunk and the trailers are parsed by the library's own code, with its own
 * limits and exceptions, and the only state written here is what its {@code read} writes after data:
 * {@code pos += n}, CHUNK_CRLF at the chunk's end. The calling thread only (the library keeps no lock).
 */
final class HttpClientChunkState {

    static final String STREAM = "org.apache.hc.core5.http.impl.io.ChunkedInputStream";
    static final String STREAM_4 = "org.apache.http.impl.io.ChunkedInputStream";
    private static final int DATA_4 = 2;
    private static final int CRLF_4 = 3;
    private static final int INVALID_4 = Integer.MAX_VALUE;
    private static final ClassValue<Method> NEXT_CHUNK = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getDeclaredMethod("nextChunk");
                m.setAccessible(true); // the library's classes are in unnamed modules, open to the agent
                return m;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    private final InputStream cis;
    private final boolean v4;

    private HttpClientChunkState(InputStream cis, boolean v4) {
        this.cis = cis;
        this.v4 = v4;
    }

    /** The parser of {@code cis}, every field and {@code nextChunk} looked up now; throws when one is missing. */
    static HttpClientChunkState of(InputStream cis) throws ReflectiveOperationException {
        HttpClientChunkState s = new HttpClientChunkState(cis, cis.getClass().getName().equals(STREAM_4));
        if (NEXT_CHUNK.get(cis.getClass()) == null) {
            throw new NoSuchMethodException(cis.getClass().getName() + ".nextChunk()");
        }
        s.name();
        s.eof();
        s.remaining();
        return s;
    }

    /** CHUNK_LEN, CHUNK_DATA, CHUNK_CRLF, CHUNK_INVALID (or the number of an unknown 4.4 state). */
    String name() throws ReflectiveOperationException {
        Object state = Fields.get(cis, "state");
        if (!v4) {
            return ((Enum<?>) state).name();
        }
        int s = (int) state;
        return s == 1 ? "CHUNK_LEN" : s == DATA_4 ? "CHUNK_DATA" : s == CRLF_4 ? "CHUNK_CRLF"
                : s == INVALID_4 ? "CHUNK_INVALID" : Integer.toString(s);
    }

    boolean eof() throws ReflectiveOperationException {
        return (boolean) Fields.get(cis, "eof");
    }

    /** Data left in the current chunk: {@code chunkSize - pos} in CHUNK_DATA, else 0. */
    long remaining() throws ReflectiveOperationException {
        long left = (long) Fields.get(cis, "chunkSize") - (long) Fields.get(cis, "pos");
        return "CHUNK_DATA".equals(name()) && !eof() ? Math.max(0, left) : 0;
    }

    /**
     * The library's own {@code nextChunk()}: its CRLF check and size line, or the last chunk and its
     * trailers ({@code eof} set). Its exceptions come out as they are (it marks the stream invalid
     * itself on a malformed one).
     */
    void nextChunk() throws IOException {
        try {
            NEXT_CHUNK.get(cis.getClass()).invoke(cis);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} data bytes of the current chunk were taken, as the library's read counts them. */
    void advance(long n) throws ReflectiveOperationException {
        if (n <= 0) {
            return;
        }
        long pos = (long) Fields.get(cis, "pos") + n;
        Fields.set(cis, "pos", pos);
        if (pos >= (long) Fields.get(cis, "chunkSize")) {
            setState("CHUNK_CRLF", CRLF_4);
        }
    }

    /** The library's mark for a corrupt stream: its next read fails ("Corrupt data stream"), its close reads nothing. */
    void invalidate() throws ReflectiveOperationException {
        setState("CHUNK_INVALID", INVALID_4);
    }

    private void setState(String name, int v4Value) throws ReflectiveOperationException {
        if (v4) {
            Fields.set(cis, "state", v4Value);
            return;
        }
        Class<?> type = ((Enum<?>) Fields.get(cis, "state")).getDeclaringClass();
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                Fields.set(cis, "state", constant);
                return;
            }
        }
        throw new NoSuchFieldException(name);
    }
}
