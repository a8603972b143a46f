package io.helidon.webclient.http1;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.PlainSocket;
import io.helidon.http.http1.Http1ConnectionListener;
import java.io.InputStream;

/** Test double holding the client's fixed-length body stream, with the fields the agent reads and keeps. */
public final class Http1CallChainBase {

    private Http1CallChainBase() {
    }

    public static InputStream contentLength(PlainSocket socket, DataReader reader, long length) {
        return new ContentLengthInputStream(socket, reader, length);
    }

    /** What the test checks: what Helidon still expects to read. */
    public static long remaining(InputStream body) {
        return ((ContentLengthInputStream) body).remainingLength;
    }

    private static final class ContentLengthInputStream extends InputStream {
        private final PlainSocket socket;
        private final DataReader reader;
        private final Http1ConnectionListener recvListener = Http1ConnectionListener.off();
        private BufferData currentBuffer;
        private boolean finished;
        private long remainingLength;

        ContentLengthInputStream(PlainSocket socket, DataReader reader, long length) {
            this.socket = socket;
            this.reader = reader;
            this.remainingLength = length;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (finished || remainingLength == 0) {
                finished = true;
                return -1;
            }
            if (currentBuffer == null || currentBuffer.available() == 0) {
                if (reader.available() == 0) {
                    reader.pull();
                }
                currentBuffer = BufferData.of(reader.readBytes((int) Math.min(reader.available(), remainingLength)));
            }
            int n = currentBuffer.read(b, off, (int) Math.min(len, remainingLength));
            remainingLength -= n;
            return n;
        }
    }
}
