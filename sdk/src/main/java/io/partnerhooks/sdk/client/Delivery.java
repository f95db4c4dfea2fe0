package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One event's delivery to one endpoint: {@code pending}, {@code delivered}, {@code failed} or
 * {@code superseded}, with every attempt so far (oldest first).
 */
public record Delivery(
        String id,
        String eventId,
        String endpointId,
        String status,
        long attemptCount,
        Instant nextAttemptAt,
        Instant createdAt,
        List<Attempt> attempts) {
    /** One attempt: exactly one of {@code httpStatus} (an answer came) and {@code errorClass} (none did) is set. */
    public record Attempt(
            String id,
            long number,
            Instant attemptedAt,
            long durationMs,
            Integer httpStatus,
            String errorClass,
            String responseExcerpt) {
        static Attempt from(Map<String, Object> m) {
            Long n = Json.lng(m, "number");
            Long d = Json.lng(m, "duration_ms");
            Long s = Json.lng(m, "http_status");
            return new Attempt(
                    Json.str(m, "id"),
                    n == null ? 0 : n,
                    Json.instant(m, "attempted_at"),
                    d == null ? 0 : d,
                    s == null ? null : s.intValue(),
                    Json.str(m, "error_class"),
                    Json.str(m, "response_excerpt"));
        }
    }

    static Delivery from(Map<String, Object> m) {
        List<Attempt> attempts = new ArrayList<>();
        for (Map<String, Object> a : Json.objects(m, "attempts")) {
            attempts.add(Attempt.from(a));
        }
        Long count = Json.lng(m, "attempt_count");
        return new Delivery(
                Json.str(m, "id"),
                Json.str(m, "event_id"),
                Json.str(m, "endpoint_id"),
                Json.str(m, "status"),
                count == null ? 0 : count,
                Json.instant(m, "next_attempt_at"),
                Json.instant(m, "created_at"),
                List.copyOf(attempts));
    }
}
