package io.helidon.common.buffers;

/** Test double: the two methods of Helidon's buffer interface the agent calls, and an array-backed buffer. */
public interface BufferData {

    int available();

    int read(byte[] bytes, int position, int length);

    static BufferData of(byte[] b) {
        return new BufferData() {
            private int pos;

            @Override
            public int available() {
                return b.length - pos;
            }

            @Override
            public int read(byte[] bytes, int position, int length) {
                int n = Math.min(length, available());
                System.arraycopy(b, pos, bytes, position, n);
                pos += n;
                return n;
            }
        };
    }
}
