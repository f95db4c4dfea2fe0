package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.domain.Event;
import java.time.Instant;

/**
 * An event of a partner's log. {@code test} shows only on test sends (always true then), {@code
 * idempotency_key} only when the publisher gave one; subject and data are the stored JSON as it is.
 */
@ApiSchema("Event")
public record EventResponse(
        String id,
        String type,
        String partnerId,
        JsonNode subject,
        long sequence,
        String orderingKey,
        JsonNode data,
        Instant createdAt,
        @JsonInclude(Include.NON_NULL) Boolean test,
        @JsonInclude(Include.NON_NULL) String idempotencyKey) {
    public static EventResponse of(Event e) {
        return new EventResponse(
                e.id().value(),
                e.type(),
                e.partnerId().value(),
                StoredJson.parse(e.subjectJson()),
                e.sequence(),
                e.subjectKey(),
                StoredJson.parse(e.dataJson()),
                e.createdAt(),
                e.test() ? Boolean.TRUE : null,
                e.idempotencyKey());
    }
}
