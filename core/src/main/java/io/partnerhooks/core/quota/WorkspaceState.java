package io.partnerhooks.core.quota;

import java.time.Instant;
import java.util.Map;

/**
 * A workspace's plan and usage in the current billing period. Limits of 0 mean "no such quota"
 * (nothing fires for it).
 */
public record WorkspaceState(
        String workspaceId,
        String partnerId,
        long seatsPurchased,
        long seatsUsed,
        Map<Quota, Long> limits,
        Map<Quota, Long> used,
        Instant periodStart,
        Instant periodEnd) {

    public WorkspaceState {
        limits = Map.copyOf(limits);
        used = Map.copyOf(used);
    }

    public long limit(Quota q) {
        return limits.getOrDefault(q, 0L);
    }

    public long used(Quota q) {
        return used.getOrDefault(q, 0L);
    }

    /**
     * Whole percent, rounded down, so "90 %" means at least 90.0 % used; never negative (counters
     * are bounded, see ManageWorkspaces.MAX_COUNTER, and a stored counter below zero reads as 0 %).
     */
    public long utilizationPct(Quota q) {
        long limit = limit(q);
        return limit <= 0 ? 0 : Math.max(0, Math.floorDiv(used(q) * 100, limit));
    }

    /** True when at least {@code percent} % of the quota is used (exact arithmetic, no rounding). */
    public boolean reached(Quota q, int percent) {
        long limit = limit(q);
        return limit > 0 && used(q) * 100 >= limit * percent;
    }
}
