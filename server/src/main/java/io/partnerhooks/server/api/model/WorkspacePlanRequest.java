package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import java.time.Instant;

/**
 * A workspace's plan as the platform reports it. A count left out is 0 (no quota); the billing
 * period is checked by the use case.
 */
@ApiSchema("WorkspacePlan")
public record WorkspacePlanRequest(
        @JsonProperty(required = true) String partnerId,
        Long seatsPurchased,
        Long messagingQuota,
        Long transactionsQuota,
        Long apiCallsQuota,
        Instant billingPeriodStart,
        Instant billingPeriodEnd) {
    public ManageWorkspaces.PlanRequest plan() {
        return new ManageWorkspaces.PlanRequest(
                partnerId,
                orZero(seatsPurchased),
                orZero(messagingQuota),
                orZero(transactionsQuota),
                orZero(apiCallsQuota),
                billingPeriodStart,
                billingPeriodEnd);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
