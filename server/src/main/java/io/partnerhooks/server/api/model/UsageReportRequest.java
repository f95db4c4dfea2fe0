package io.partnerhooks.server.api.model;

import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.usecase.ManageWorkspaces.UsageReport;
import java.util.EnumMap;
import java.util.Map;

/**
 * One usage report: absolute counters ({@code *_used}) and/or increments ({@code *_increment});
 * what is left out is not reported. The use case checks the bounds and the mix.
 */
@ApiSchema("UsageReport")
public record UsageReportRequest(
        String workspaceId,
        Long seatsUsed,
        Long messagingUsed,
        Long transactionsUsed,
        Long apiCallsUsed,
        Long messagingIncrement,
        Long transactionsIncrement,
        Long apiCallsIncrement) {
    /** The report for {@code workspace} (the path's, or this body's own in a batch). */
    public UsageReport report(String workspace) {
        Map<Quota, Long> used = new EnumMap<>(Quota.class);
        Map<Quota, Long> increments = new EnumMap<>(Quota.class);
        for (Quota q : Quota.values()) {
            if (used(q) != null) {
                used.put(q, used(q));
            }
            if (increment(q) != null) {
                increments.put(q, increment(q));
            }
        }
        return new UsageReport(workspace, seatsUsed, used, increments);
    }

    private Long used(Quota q) {
        return switch (q) {
            case MESSAGING -> messagingUsed;
            case TRANSACTIONS -> transactionsUsed;
            case API_CALLS -> apiCallsUsed;
        };
    }

    private Long increment(Quota q) {
        return switch (q) {
            case MESSAGING -> messagingIncrement;
            case TRANSACTIONS -> transactionsIncrement;
            case API_CALLS -> apiCallsIncrement;
        };
    }
}
