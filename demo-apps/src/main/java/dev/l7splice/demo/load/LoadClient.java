package dev.l7splice.demo.load;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.DaemonThreads;
import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * An HTTP/1.1 client on plain sockets for benchmarks and the demo: R requests on C threads, one
 * connection each, bodies read to EOF and optionally checked against their SHA-256. Usable as a
 * main or in-process through {@link #run}; {@link #run} is thread-safe (a run shares nothing with
 * other runs).
 */
public final class LoadClient {

    private static final Logger LOG = DemoLog.get(LoadClient.class);

    private LoadClient() {
    }

    /** Runs the requests and returns when all have finished. */
    public static LoadResult run(LoadOptions options) throws InterruptedException {
        options.validate();
        // Hashing a large upload body takes seconds: done before the clock starts.
        String uploadSha = options.verify && options.isUpload() ? BodyPattern.sha256Hex(options.uploadBytes) : null;
        SingleExchange exchange = new SingleExchange(options, uploadSha);
        AtomicInteger tickets = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Runnable worker = () -> {
            while (tickets.getAndIncrement() < options.requests) {
                try {
                    bytes.addAndGet(exchange.execute());
                    ok.incrementAndGet();
                } catch (IOException | ExchangeFailure | RuntimeException e) {
                    failed.incrementAndGet();
                    String why = e instanceof ExchangeFailure ? e.getMessage() : e.toString();
                    firstFailure.compareAndSet(null, why);
                    LOG.debug("request failed: {}", why); // callers see the first one in the result
                }
            }
        };
        long start = System.nanoTime();
        DaemonThreads threads = new DaemonThreads("load");
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < Math.min(options.concurrency, options.requests); i++) {
            started.add(threads.start(worker));
        }
        for (Thread t : started) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(options.requests, ok.get(), failed.get(), bytes.get(), seconds, firstFailure.get());
    }

    public static void main(String[] args) throws InterruptedException {
        if (CliArgs.wantsHelp(args)) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadResult result = run(options);
        System.out.println(result.summaryLine());
        if (result.firstFailure() != null) {
            System.err.println("load: first failure: " + result.firstFailure());
        }
        System.exit(result.allOk() ? 0 : 1);
    }
}
