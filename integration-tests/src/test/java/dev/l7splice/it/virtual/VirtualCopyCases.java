package dev.l7splice.it.virtual;

import dev.l7splice.demo.VirtualThreads;
import dev.l7splice.it.tomcat.AgentMBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in its own JVM (Java 21+): {@code socketIn.transferTo(socketOut)} on a virtual thread, in the
 * cases where how it ends matters, and prints one {@code CASE} line each: what the call returned or
 * threw, the interrupt status, whether the source socket is closed, and the bytes that reached the
 * far end. Run without and with the agent, the lines must be equal: the JDK's own loop is the oracle.
 * Last it prints the agent's counters ({@code STATS ...}, zeros without the agent).
 */
public final class VirtualCopyCases {

    private static final int BODY = 3 << 20;

    public static void main(String[] args) throws Exception {
        for (String c : new String[] {"eof", "timeout", "close", "interrupt", "reset"}) {
            System.out.println("CASE " + c + " " + run(c));
        }
        System.out.println("STATS " + AgentMBean.line());
    }

    private static String run(String kind) throws Exception {
        try (ServerSocket feedSide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket drainSide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket src = new Socket(InetAddress.getLoopbackAddress(), feedSide.getLocalPort());
             Socket dst = new Socket(InetAddress.getLoopbackAddress(), drainSide.getLocalPort());
             Socket feeder = feedSide.accept();
             Socket drain = drainSide.accept()) {
            if (kind.equals("timeout")) {
                src.setSoTimeout(700);
            }
            AtomicLong drained = new AtomicLong();
            Thread reader = new Thread(() -> drainAll(drain, drained));
            reader.start();
            feeder.getOutputStream().write(new byte[BODY]);
            if (kind.equals("eof")) {
                feeder.shutdownOutput();
            } else if (kind.equals("reset")) {
                Thread.sleep(300);
                feeder.setSoLinger(true, 0);
                feeder.close(); // an RST after the body's start
            }
            CompletableFuture<String> outcome = new CompletableFuture<>();
            boolean[] interrupted = new boolean[1];
            Thread copier = VirtualThreads.factory("copier").newThread(() -> {
                try {
                    long n = src.getInputStream().transferTo(dst.getOutputStream());
                    outcome.complete("returned=" + n);
                } catch (IOException e) {
                    outcome.complete("threw=" + e.getClass().getName() + ":" + e.getMessage());
                } catch (Throwable t) {
                    outcome.complete("threw=" + t);
                } finally {
                    interrupted[0] = Thread.currentThread().isInterrupted();
                }
            });
            copier.start();
            if (kind.equals("close") || kind.equals("interrupt")) {
                Thread.sleep(700); // the body is across, the copy waits for more
                if (kind.equals("close")) {
                    src.close();
                } else {
                    copier.interrupt();
                }
            }
            String result = outcome.get(30, TimeUnit.SECONDS);
            copier.join(10_000);
            dst.shutdownOutput();
            reader.join(10_000);
            return result + " interrupted=" + interrupted[0] + " srcClosed=" + src.isClosed() + " drained=" + drained.get();
        }
    }

    private static void drainAll(Socket s, AtomicLong count) {
        byte[] buf = new byte[65536];
        try (InputStream in = s.getInputStream(); OutputStream ignored = s.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                count.addAndGet(n);
            }
        } catch (IOException e) {
            // the test's own end going away: the count so far is what it is
        }
    }
}
