package io.partnerhooks.server.api.model;

import io.partnerhooks.core.quota.QuotaRules.Threshold;

/** A partner's quota threshold: an event fires when a workspace's use of the quota reaches the percent. */
@ApiSchema("Threshold")
public record ThresholdResponse(String quota, int percent) {
    public static ThresholdResponse of(Threshold t) {
        return new ThresholdResponse(t.quota().wire(), t.percent());
    }
}
