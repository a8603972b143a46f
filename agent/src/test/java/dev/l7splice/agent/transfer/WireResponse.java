package dev.l7splice.agent.transfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 response read from a client socket by its framing (Content-Length or chunked), with
 * the number of bytes it took on the wire, so that a server's byte counts can be checked. Leaves the
 * connection at the next response.
 */
record WireResponse(String framing, byte[] body, long wireBytes) {

    static WireResponse read(Socket s) {
        try {
            Counting in = new Counting(s.getInputStream());
            String head = "";
            while (!head.endsWith("\r\n\r\n")) {
                head += in.line() + "\r\n";
            }
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (lower.contains("transfer-encoding: chunked")) {
                for (int size; (size = Integer.parseInt(in.line(), 16)) > 0; ) {
                    body.write(in.exactly(size));
                    if (!in.line().isEmpty()) {
                        throw new IOException("no CRLF after a chunk");
                    }
                }
                if (!in.line().isEmpty()) {
                    throw new IOException("trailers not expected");
                }
                return new WireResponse("chunked", body.toByteArray(), in.count);
            }
            int at = lower.indexOf("content-length: ") + 16;
            int length = Integer.parseInt(lower.substring(at, lower.indexOf('\r', at)));
            return new WireResponse("fixed", in.exactly(length), in.count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Counting {
        private final InputStream in;
        long count;

        Counting(InputStream in) {
            this.in = in;
        }

        byte[] exactly(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new IOException("end of stream in a body");
            }
            count += n;
            return b;
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("end of stream in a line");
                }
                b.write(c);
            }
            count += b.size() + 1;
            String s = b.toString(StandardCharsets.US_ASCII);
            return s.substring(0, s.length() - 1);
        }
    }
}
