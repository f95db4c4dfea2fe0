package io.partnerhooks.core.port;

import java.time.Instant;

/** Removes old history: events with their deliveries and attempts, and Meta's callbacks and relay keys. */
public interface RetentionStore {
    /** What one batch removed; all zero when nothing old was left. */
    record Removed(int events, int deliveries, int attempts, int metaCallbacks, int metaRelayed) {
        public Removed(int events, int deliveries, int attempts) {
            this(events, deliveries, attempts, 0, 0);
        }

        public boolean none() {
            return events == 0 && deliveries == 0 && attempts == 0 && metaCallbacks == 0 && metaRelayed == 0;
        }
    }

    /**
     * In one short transaction, removes at most {@code maxEvents} events created before
     * {@code cutoff}, with their deliveries and attempts. An event that still has a pending delivery
     * is left alone, and so is that delivery, however old.
     */
    Removed removeBefore(Instant cutoff, int maxEvents);

    /**
     * In one short transaction, removes at most {@code max} of Meta's callbacks received before
     * {@code cutoff}, oldest first, routed or not; returns how many.
     */
    int removeMetaCallbacksBefore(Instant cutoff, int max);

    /**
     * In one short transaction, removes at most {@code max} relay dedupe keys (what each number's
     * webhook was already sent) recorded before {@code cutoff}, oldest first; returns how many.
     */
    int removeMetaRelayedBefore(Instant cutoff, int max);
}
