package dev.l7splice.agent.ends;

/** How the bytes of a body go on the wire of a {@link SinkEnd}. */
public enum Framing {
    /** As they are, up to the end of the connection or of the owner's interest. */
    RAW,
    /** As they are, at most {@link SinkEnd#room()} of them: the owner declared the length. */
    FIXED,
    /** HTTP/1.1 chunked: each piece the engine moves goes between a chunk header and a CRLF it writes itself. */
    CHUNKED
}
