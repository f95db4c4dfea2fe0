package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A partner's endpoint with its health. {@code state} is {@code active}, {@code cooldown} (failing:
 * one probe at a time) or {@code disabled}. {@code secret} is set only in the answer to
 * {@link PartnerClient#createEndpoint}; read it later with {@link PartnerClient#endpointSecret}.
 * {@link #raw()} has every member of the answer, for what has no accessor here.
 */
public record Endpoint(
        String id,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        String state,
        String disabledReason,
        long consecutiveFailures,
        Instant nextProbeAt,
        String format,
        Instant createdAt,
        Instant updatedAt,
        String secret,
        Map<String, Object> raw) {
    static Endpoint from(Map<String, Object> m) {
        Long failures = Json.lng(m, "consecutive_failures");
        return new Endpoint(
                Json.str(m, "id"),
                Json.str(m, "url"),
                Json.strings(m, "event_types"),
                Json.str(m, "description"),
                Json.bool(m, "enabled"),
                Json.str(m, "state"),
                Json.str(m, "disabled_reason"),
                failures == null ? 0 : failures,
                Json.instant(m, "next_probe_at"),
                Json.str(m, "format"),
                Json.instant(m, "created_at"),
                Json.instant(m, "updated_at"),
                Json.str(m, "secret"),
                Collections.unmodifiableMap(m));
    }

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", url=" + url + ", eventTypes=" + eventTypes + ", enabled=" + enabled + ", state="
                + state + (secret == null ? "" : ", secret=****") + "]";
    }
}
