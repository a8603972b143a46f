package dev.l7splice.agent.ends;

import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * What every server's sink shares: the application's stream (its owner), the server's NIO socket
 * channel and that channel's fd, and a short name for fallback reasons. A server's sink adds its
 * framing and its counters. One instance per transfer, on the calling thread.
 */
public abstract class ChannelSink implements SinkEnd {

    private final String name;
    /** The stream the application passed. */
    protected final OutputStream out;
    /** The server's connection: open until the server (or its peer, through it) closes it. */
    protected final SocketChannel channel;
    /** {@link #channel}'s fd (the server's; the engine dups it). */
    protected final int fd;

    protected ChannelSink(String name, OutputStream out, SocketChannel channel, int fd) {
        this.name = name;
        this.out = out;
        this.channel = channel;
        this.fd = fd;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final OutputStream owner() {
        return out;
    }

    @Override
    public final int fd() {
        return fd;
    }

    @Override
    public final boolean isClosed() {
        return !channel.isOpen();
    }
}
