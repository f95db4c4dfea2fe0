package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the partner's log. {@code sequence} counts 1, 2, 3 ... within {@code orderingKey};
 * {@code idempotencyKey} is null unless the publisher gave one; {@code test} is true for events sent
 * by the endpoint test call.
 */
public record Event(
        String id,
        String type,
        String partnerId,
        Map<String, Object> subject,
        long sequence,
        String orderingKey,
        Map<String, Object> data,
        String idempotencyKey,
        Instant createdAt,
        boolean test) {
    static Event from(Map<String, Object> m) {
        Long seq = Json.lng(m, "sequence");
        return new Event(
                Json.str(m, "id"),
                Json.str(m, "type"),
                Json.str(m, "partner_id"),
                Json.obj(m, "subject"),
                seq == null ? 0 : seq,
                Json.str(m, "ordering_key"),
                Json.obj(m, "data"),
                Json.str(m, "idempotency_key"),
                Json.instant(m, "created_at"),
                Json.bool(m, "test"));
    }
}
