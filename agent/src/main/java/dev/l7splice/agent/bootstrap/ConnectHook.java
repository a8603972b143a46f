package dev.l7splice.agent.bootstrap;

import java.net.SocketAddress;

/**
 * What advice woven into {@code Socket.connect} and {@code SocketChannel.connect} asks: the address
 * to connect to instead of the application's (a relay's pool listener), or the same address.
 * Bootstrap-visible (JDK types only); implemented in the agent's own loader.
 */
public interface ConnectHook {

    SocketAddress route(SocketAddress requested);
}
