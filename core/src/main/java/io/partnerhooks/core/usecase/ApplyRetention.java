package io.partnerhooks.core.usecase;

import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.RetentionStore.Removed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Removes events (with their deliveries and attempts) older than the retention period, in small
 * batches with a pause between them, so that delivery, which shares the database, is never held up
 * for long. Pending deliveries and their events are kept whatever their age. The audit log is not
 * touched: it is the record of who changed what, and is kept.
 *
 * <p>Meta's callbacks (routed or not: the unroutable ones the operator looks at too) go after the
 * same period, the same batched way. The relay dedupe keys go only once older than both the period
 * and {@link #META_REDELIVERY} (Meta redelivers a callback for up to seven days; a key removed
 * earlier would let a late redelivery through to the partner a second time).
 */
public final class ApplyRetention {
    /** Events per transaction (each with its deliveries and attempts). */
    public static final int DEFAULT_BATCH = 500;

    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(200);
    /** How long Meta keeps redelivering a callback: relay dedupe keys are kept at least this long. */
    public static final Duration META_REDELIVERY = Duration.ofDays(7);

    /** Waits between batches; the production one sleeps. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** What one run removed in total. */
    public record Totals(
            Instant cutoff,
            long events,
            long deliveries,
            long attempts,
            int batches,
            long metaCallbacks,
            long metaRelayed) {}

    /** A batched delete of one kind of row: at most {@code max} rows before {@code cutoff}, returns how many went. */
    @FunctionalInterface
    private interface BatchDelete {
        int remove(Instant cutoff, int max);
    }

    private final RetentionStore store;
    private final Clock clock;
    private final Duration keep;
    private final int batch;
    private final Duration pauseBetween;
    private final Pause pause;
    private final Consumer<Removed> onBatch;

    public ApplyRetention(
            RetentionStore store,
            Clock clock,
            Duration keep,
            int batch,
            Duration pauseBetween,
            Pause pause,
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
        Instant now = clock.instant();
        Instant cutoff = now.minus(keep);
        long events = 0;
        long deliveries = 0;
        long attempts = 0;
        int batches = 0;
        boolean interrupted = false;
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
            if (!pause()) {
                interrupted = true;
                break;
            }
        }
        long[] callbacks = {0};
        long[] relayed = {0};
        if (!interrupted) {
            int[] b = {batches};
            interrupted = !drain(store::removeMetaCallbacksBefore, cutoff, n -> {
                callbacks[0] += n;
                b[0]++;
                onBatch.accept(new Removed(0, 0, 0, n, 0));
            });
            Instant keysCutoff = now.minus(keep.compareTo(META_REDELIVERY) > 0 ? keep : META_REDELIVERY);
            if (!interrupted) {
                drain(store::removeMetaRelayedBefore, keysCutoff, n -> {
                    relayed[0] += n;
                    b[0]++;
                    onBatch.accept(new Removed(0, 0, 0, 0, n));
                });
            }
            batches = b[0];
        }
        return new Totals(cutoff, events, deliveries, attempts, batches, callbacks[0], relayed[0]);
    }

    /** Batches of one kind until fewer than a batch are left; false when interrupted. */
    private boolean drain(BatchDelete delete, Instant cutoff, IntConsumer removed) {
        while (true) {
            int n = delete.remove(cutoff, batch);
            if (n == 0) {
                return true;
            }
            removed.accept(n);
            if (n < batch) {
                return true;
            }
            if (!pause()) {
                return false;
            }
        }
    }

    private boolean pause() {
        try {
            pause.pause(pauseBetween);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
