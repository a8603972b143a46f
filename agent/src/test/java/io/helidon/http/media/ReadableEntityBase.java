package io.helidon.http.media;

import io.helidon.common.buffers.BufferData;
import java.io.InputStream;
import java.util.function.Function;

/** Test double of the entity stream Helidon's client hands out: buffers requested from a function, then -1. */
public final class ReadableEntityBase {

    private ReadableEntityBase() {
    }

    public static InputStream inputStream(Function<Integer, BufferData> bufferFunction, Runnable done) {
        return new RequestingInputStream(bufferFunction, done);
    }

    private static final class RequestingInputStream extends InputStream {
        private final Function<Integer, BufferData> bufferFunction;
        private final Runnable entityProcessedRunnable;
        private BufferData currentBuffer;
        private boolean finished;

        RequestingInputStream(Function<Integer, BufferData> bufferFunction, Runnable done) {
            this.bufferFunction = bufferFunction;
            this.entityProcessedRunnable = done;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (finished) {
                return -1;
            }
            if (currentBuffer == null || currentBuffer.available() == 0) {
                currentBuffer = bufferFunction.apply(len);
                if (currentBuffer == null) {
                    finished = true;
                    entityProcessedRunnable.run();
                    return -1;
                }
            }
            return currentBuffer.read(b, off, len);
        }
    }
}
