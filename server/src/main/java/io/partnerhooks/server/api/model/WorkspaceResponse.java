package io.partnerhooks.server.api.model;

import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A workspace's plan and usage this billing period, with the thresholds that fired in it (sorted). */
@ApiSchema("Workspace")
public record WorkspaceResponse(
        String workspaceId,
        String partnerId,
        long seatsPurchased,
        long seatsUsed,
        Map<String, WorkspaceQuota> quotas,
        Instant billingPeriodStart,
        Instant billingPeriodEnd,
        List<String> firedThisPeriod) {
    public static WorkspaceResponse of(WorkspaceState w, Set<String> fired) {
        Map<String, WorkspaceQuota> quotas = new LinkedHashMap<>();
        for (Quota q : Quota.values()) {
            quotas.put(q.wire(), new WorkspaceQuota(w.limit(q), w.used(q), w.utilizationPct(q)));
        }
        return new WorkspaceResponse(
                w.workspaceId(),
                w.partnerId(),
                w.seatsPurchased(),
                w.seatsUsed(),
                quotas,
                w.periodStart(),
                w.periodEnd(),
                fired.stream().sorted().toList());
    }
}
