package io.partnerhooks.core.port;

import java.time.Instant;

/** Removes old history: events with their deliveries and attempts. */
public interface RetentionStore {
    /** What one batch removed; all zero when nothing old was left. */
    record Removed(int events, int deliveries, int attempts) {
        public boolean none() {
            return events == 0 && deliveries == 0 && attempts == 0;
        }
    }

    /**
     * In one short transaction, removes at most {@code maxEvents} events created before
     * {@code cutoff}, with their deliveries and attempts. An event that still has a pending delivery
     * is left alone, and so is that delivery, however old.
     */
    Removed removeBefore(Instant cutoff, int maxEvents);
}
