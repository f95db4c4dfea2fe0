package io.partnerhooks.core.usecase;

import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.RetentionStore.Removed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Removes events (with their deliveries and attempts) older than the retention period, in small
 * batches with a pause between them, so that delivery, which shares the database, is never held up
 * for long. Pending deliveries and their events are kept whatever their age. The audit log is not
 * touched: it is the record of who changed what, and is kept.
 */
public final class ApplyRetention {
    /** Events per transaction (each with its deliveries and attempts). */
    public static final int DEFAULT_BATCH = 500;
    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(200);

    /** Waits between batches; the production one sleeps. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** What one run removed in total. */
    public record Totals(Instant cutoff, long events, long deliveries, long attempts, int batches) {}

    private final RetentionStore store;
    private final Clock clock;
    private final Duration keep;
    private final int batch;
    private final Duration pauseBetween;
    private final Pause pause;
    private final Consumer<Removed> onBatch;

    public ApplyRetention(RetentionStore store, Clock clock, Duration keep, int batch, Duration pauseBetween, Pause pause,
            Consumer<Removed> onBatch) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.store = store;
        this.clock = clock;
        this.keep = keep;
        this.batch = batch;
        this.pauseBetween = pauseBetween;
        this.pause = pause;
        this.onBatch = onBatch;
    }

    /** One pass over everything older than now minus the retention period; stops early when interrupted. */
    public Totals runOnce() {
        Instant cutoff = clock.instant().minus(keep);
        long events = 0;
        long deliveries = 0;
        long attempts = 0;
        int batches = 0;
        while (true) {
            Removed r = store.removeBefore(cutoff, batch);
            if (r.none()) {
                break;
            }
            batches++;
            events += r.events();
            deliveries += r.deliveries();
            attempts += r.attempts();
            onBatch.accept(r);
            if (r.events() < batch) {
                break;
            }
            try {
                pause.pause(pauseBetween);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Totals(cutoff, events, deliveries, attempts, batches);
    }
}
