package dev.l7splice.demo;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for the demo servers: a server started inside another program (a test,
 * DemoMain) must never keep that JVM alive. Thread-safe.
 */
public final class DaemonThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    public DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, prefix + "-" + next.getAndIncrement());
        t.setDaemon(true);
        return t;
    }

    /** Starts {@code task} on a new daemon thread named after this factory. */
    public Thread start(Runnable task) {
        Thread t = newThread(task);
        t.start();
        return t;
    }
}
