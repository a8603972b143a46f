package dev.l7splice.relay.balance;

import java.util.concurrent.CompletableFuture;

/**
 * A connection waiting in a pool's queue for a server below its maxconn. Completed once: with the
 * server taken for it, with null when no server can serve it any more (all down), or exceptionally
 * by its queue timeout. Whoever attaches stages must not block: completion may run under the
 * pool's lock, so attach them with an executor ({@code thenAcceptAsync(..., executor)}).
 */
public final class Waiter {

    final String key;
    final CompletableFuture<Server> server = new CompletableFuture<>();
    final long queuedNanos = System.nanoTime();

    Waiter(String key) {
        this.key = key;
    }

    public CompletableFuture<Server> server() {
        return server;
    }

    public long queuedMillis() {
        return (System.nanoTime() - queuedNanos) / 1_000_000;
    }
}
