package io.partnerhooks.server;

import io.partnerhooks.core.usecase.AnnounceOperations;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps for unannounced endpoint states (operational events, ADR 14) on a background thread of its
 * own, every few seconds. Every node runs one; the announced-state compare-and-set keeps two nodes
 * from announcing one change twice. A sweep that fails (database away) is logged and the next tick
 * tries again: the state it would have announced is still in the database, so nothing is lost.
 */
final class AnnounceTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnnounceTask.class);
    /** How late an endpoint's state change may be announced at worst (plus the sweep itself). */
    static final Duration EVERY = Duration.ofSeconds(5);

    private final AnnounceOperations announce;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "announce");
        t.setDaemon(true);
        return t;
    });

    AnnounceTask(AnnounceOperations announce) {
        this.announce = announce;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::runLogged, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    AnnounceOperations operations() {
        return announce;
    }

    private void runLogged() {
        try {
            announce.sweep();
        } catch (RuntimeException e) {
            log.warn("operational-event sweep failed, trying again in {}: {}", EVERY, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
