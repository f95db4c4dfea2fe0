package io.partnerhooks.server;

import io.partnerhooks.core.usecase.ApplyRetention;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs retention on a background thread of its own: shortly after start, then every hour. A run
 * that fails (database away) is logged and tried again at the next tick; it never stops delivery.
 */
final class RetentionTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final Duration EVERY = Duration.ofHours(1);

    private final ApplyRetention retention;
    private final int days;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });

    RetentionTask(ApplyRetention retention, int days) {
        this.retention = retention;
        this.days = days;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::runLogged, FIRST_RUN.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** One run now, on the caller's thread (tests and the timer). */
    ApplyRetention.Totals runOnce() {
        long started = System.nanoTime();
        ApplyRetention.Totals t = retention.runOnce();
        log.info(
                "retention ({} days): removed {} events, {} deliveries, {} attempts created before {},"
                        + " {} Meta callbacks and {} relay keys in {} batches ({} ms)",
                days,
                t.events(),
                t.deliveries(),
                t.attempts(),
                t.cutoff(),
                t.metaCallbacks(),
                t.metaRelayed(),
                t.batches(),
                (System.nanoTime() - started) / 1_000_000);
        return t;
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("retention run failed, trying again in {}: {}", EVERY, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
