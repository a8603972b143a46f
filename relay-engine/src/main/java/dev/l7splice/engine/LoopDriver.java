package dev.l7splice.engine;

/**
 * Where a {@link RelayLoop} gets readiness and time from when it does not run its own epoll_wait
 * (the default, {@link RelayLoop#RelayLoop(dev.l7splice.kernel.PipeSource, long, java.util.function.LongConsumer)}).
 * An experiment (issue 11): the sidecar's {@code --loop netty} implements it on Netty's
 * EpollIoHandler. The bytes still move through {@link TransferPump} and our splice; only the
 * waiting, the registrations and the timers are the driver's.
 * Thread contract: {@link #wakeup} from any thread; everything else on the driver's loop thread,
 * which is the only thread that calls the loop's {@link RelayLoop#ready} and {@link RelayLoop#endOfTurn}.
 */
public interface LoopDriver {

    /**
     * epoll_ctl's contract: {@code op} is {@code LinuxIo.EPOLL_CTL_ADD}, {@code _MOD} or {@code _DEL},
     * {@code events} {@code LinuxIo.EPOLL*} bits (level-triggered); returns 0, or -errno.
     */
    int control(int op, int fd, int events);

    /** The loop closed {@code fd} without a {@code DEL} (the close took it out of epoll): forget it. */
    void closed(int fd);

    /** A task was queued: {@link RelayLoop#endOfTurn} must run soon on the loop thread. */
    void wakeup();

    /** Runs {@code task} on the loop thread after {@code millis}. */
    void schedule(long millis, Runnable task);

    boolean inLoop();

    /**
     * Drives {@code loop} until {@link #stop}: {@link RelayLoop#ready} for every event of a
     * registered fd, {@link RelayLoop#endOfTurn} after the events of a turn (and at least once a
     * second), then {@link RelayLoop#shutdown} on the loop thread. Returns once the loop has shut down.
     */
    void run(RelayLoop loop);

    void stop();
}
