import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The response head for bench/files' and bench/concurrency's load clients (not part of the
 * product), compiled with each of them: reads into the caller's buffer until the head's end; the
 * status must be 200 and a Content-Length given.
 */
final class ResponseHead {

    /** The Content-Length. */
    final long length;
    /** Where the body's first bytes start in the buffer, and where what was read ends. */
    final int bodyStart;
    final int bufferEnd;

    private ResponseHead(long length, int bodyStart, int bufferEnd) {
        this.length = length;
        this.bodyStart = bodyStart;
        this.bufferEnd = bufferEnd;
    }

    /** Body bytes that came with the head. */
    int bodyBytes() {
        return bufferEnd - bodyStart;
    }

    static ResponseHead read(InputStream in, byte[] buf) throws IOException {
        int have = 0;
        int end = -1;
        while (end < 0) {
            int n = in.read(buf, have, Math.min(buf.length - have, 16 << 10));
            if (n < 0) {
                throw new IOException("no response head");
            }
            have += n;
            end = new String(buf, 0, have, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("status: " + head.lines().findFirst().orElse(""));
        }
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return new ResponseHead(Long.parseLong(line.substring(colon + 1).trim()), end + 4, have);
            }
        }
        throw new IOException("no Content-Length");
    }
}
