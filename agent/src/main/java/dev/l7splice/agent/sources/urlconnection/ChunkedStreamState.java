package dev.l7splice.agent.sources.urlconnection;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of the JDK's {@code sun.net.www.http.ChunkedInputStream} (the same fields on JDK 17
 * and 25): what it decoded ahead ({@code chunkData[chunkPos..chunkCount)}), what it read raw ahead
 * ({@code rawData[rawPos..rawCount)}), where its parser is ({@code state}, {@code chunkSize},
 * {@code chunkRead}), read and written by field name. Callers hold the stream's {@code readLock}.
 */
final class ChunkedStreamState {

    static final String STREAM = "sun.net.www.http.ChunkedInputStream";
    private static final int AWAITING_SIZE = 1;
    private static final int IN_CHUNK = 2;
    private static final int AWAITING_CRLF = 3;
    private static final int AWAITING_TRAILERS = 4;

    private ChunkedStreamState() {
    }

    /** Decoded bytes first, then raw bytes; the rest of the current chunk (0 between chunks); whether a CRLF is due. */
    record Taken(byte[] decoded, byte[] raw, long inChunk, boolean crlfDue) {
    }

    /** Null when the stream is inside its body and sound, else the reason to leave it alone. */
    static String refusal(InputStream cis) throws ReflectiveOperationException {
        int state = (int) Fields.get(cis, "state");
        boolean inBody = state == AWAITING_SIZE || state == IN_CHUNK || state == AWAITING_CRLF;
        return (boolean) Fields.get(cis, "error") || (boolean) Fields.get(cis, "closed") || !inBody
                ? "httpurlconnection-state" : null;
    }

    static ReentrantLock lockOf(InputStream cis) throws ReflectiveOperationException {
        return (ReentrantLock) Fields.get(cis, "readLock");
    }

    /** Everything the stream holds, leaving it empty; nothing is changed when a field cannot be read. */
    static Taken take(InputStream cis) throws ReflectiveOperationException {
        byte[] data = (byte[]) Fields.get(cis, "chunkData");
        int dataPos = (int) Fields.get(cis, "chunkPos");
        int dataEnd = (int) Fields.get(cis, "chunkCount");
        byte[] rawData = (byte[]) Fields.get(cis, "rawData");
        int rawPos = (int) Fields.get(cis, "rawPos");
        int rawEnd = (int) Fields.get(cis, "rawCount");
        int state = (int) Fields.get(cis, "state");
        long inChunk = state == IN_CHUNK ? (int) Fields.get(cis, "chunkSize") - (int) Fields.get(cis, "chunkRead") : 0;
        Taken taken = new Taken(Arrays.copyOfRange(data, dataPos, dataEnd), Arrays.copyOfRange(rawData, rawPos, rawEnd),
                inChunk, state != AWAITING_SIZE);
        Fields.set(cis, "chunkPos", 0);
        Fields.set(cis, "chunkCount", 0);
        Fields.set(cis, "rawPos", 0);
        Fields.set(cis, "rawCount", 0);
        return taken;
    }

    /**
     * After the last chunk's size line: the trailer bytes read so far become the stream's raw
     * read-ahead, its parser awaits trailers and runs once, so trailers already here end the body
     * (and free the connection) without waiting for bytes the server will never send.
     */
    static void giveBack(InputStream cis, byte[] trailers) throws ReflectiveOperationException {
        byte[] rawData = (byte[]) Fields.get(cis, "rawData");
        if (rawData.length < trailers.length + 32) {
            rawData = new byte[trailers.length + 32];
            Fields.set(cis, "rawData", rawData);
        }
        System.arraycopy(trailers, 0, rawData, 0, trailers.length);
        Fields.set(cis, "rawCount", trailers.length);
        Fields.set(cis, "state", AWAITING_TRAILERS);
        Method parse = cis.getClass().getDeclaredMethod("processRaw");
        parse.setAccessible(true);
        parse.invoke(cis);
    }

    /** A half-read or malformed body: the stream fails from here on and closes its connection instead of reusing it. */
    static void fail(InputStream cis) {
        try {
            Fields.set(cis, "error", true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpurlconnection-chunked-error", "could not mark a chunked body failed: " + e);
        }
    }
}
