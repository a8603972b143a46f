package dev.l7splice.demo;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual-thread factories for the demo servers' {@code --virtual-threads}, found by reflection so
 * that the demo still builds and runs on Java 17 (where asking for them is a usage error). Virtual
 * threads are always daemon threads. Thread-safe.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /** True when this JVM has virtual threads (Java 21+). */
    public static boolean available() {
        try {
            Thread.class.getMethod("ofVirtual");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Thread.isVirtual, or null on Java 17: looked up once, since the test servers call {@link #current}
     * on every request, and on Java 17 a lookup per call threw and filled in a NoSuchMethodException
     * each time (2.7% of a Jetty server's CPU samples at 64 KiB bodies, with and without the agent).
     */
    private static final Method IS_VIRTUAL = isVirtual();

    private static Method isVirtual() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** True when the calling thread is a virtual one (never on Java 17). */
    public static boolean current() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invoke(Thread.currentThread());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** An executor that starts a new virtual thread per task ({@code Executors.newVirtualThreadPerTaskExecutor()}). */
    public static java.util.concurrent.ExecutorService perTaskExecutor() {
        try {
            return (java.util.concurrent.ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21 or later (this is " + Runtime.version() + ")", e);
        }
    }

    /** A factory of virtual threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> type = Class.forName("java.lang.Thread$Builder");
            builder = type.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 1L);
            Method factory = type.getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21 or later (this is " + Runtime.version() + ")", e);
        }
    }
}
