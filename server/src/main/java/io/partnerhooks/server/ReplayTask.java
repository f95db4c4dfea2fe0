package io.partnerhooks.server;

import io.partnerhooks.core.usecase.ReplayEvents;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works replays on a background thread of its own: one batch, then a short pause, so that a
 * replay costs the database one small transaction at a time and never crowds out live writes
 * (the batch itself is sized by the endpoint's free queue, see ReplayEvents);
 * when there is nothing to do it looks again every second, or at once when a replay is stored on
 * this node. A step that fails (database away) is logged and tried again later; it never stops
 * delivery. Every node runs one; the replays' leases keep two nodes off the same replay.
 */
public final class ReplayTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplayTask.class);
    /** Between two batches of one replay. */
    static final Duration PAUSE = Duration.ofMillis(20);
    /** While the endpoint's queue is full enough, between two looks at it. */
    static final Duration WAIT = Duration.ofMillis(100);

    static final Duration IDLE = Duration.ofSeconds(1);
    static final Duration AFTER_ERROR = Duration.ofSeconds(5);

    private final ReplayEvents replays;
    private final Semaphore woken = new Semaphore(0);
    private volatile boolean stopped;
    private Thread thread;

    ReplayTask(ReplayEvents replays) {
        this.replays = replays;
    }

    synchronized void start() {
        if (thread == null && !stopped) {
            thread = Thread.ofPlatform().daemon().name("replays").start(this::run);
        }
    }

    /** Looks for work now instead of at the next tick. */
    public void wake() {
        woken.release();
    }

    private void run() {
        while (!stopped) {
            Duration next;
            try {
                next = switch (replays.step()) {
                    case WORKED -> PAUSE;
                    case WAITING -> WAIT;
                    case IDLE -> IDLE;
                };
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("replay step failed, trying again in {}: {}", AFTER_ERROR, e.toString());
                next = AFTER_ERROR;
            }
            try {
                if (woken.tryAcquire(next.toMillis(), TimeUnit.MILLISECONDS)) {
                    woken.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    boolean running() {
        return thread != null && !stopped;
    }

    /** Stops the worker; a replay it held is let go so that another node can go on at once. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            replays.letGo();
        } catch (RuntimeException e) {
            // the lease runs out by itself
        }
    }
}
