package io.partnerhooks.core.model;

import java.time.Instant;

/**
 * What one more failure means for an endpoint as a whole: cooldown until {@code probeAfter} (null:
 * none) and a reason to disable it (null: keep it enabled). Decided by the endpoint health policy,
 * applied by the delivery queue in the attempt's transaction.
 */
public record HealthVerdict(Instant probeAfter, String disableReason) {}
