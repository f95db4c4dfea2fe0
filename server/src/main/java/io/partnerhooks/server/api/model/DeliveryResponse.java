package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import java.time.Instant;
import java.util.List;

/**
 * A delivery of one event to one endpoint, with every attempt. {@code next_attempt_at} shows only
 * while it is pending; {@code held_by} names the delivery at the head of its ordering key that goes
 * first (ordered endpoints).
 */
@ApiSchema("Delivery")
public record DeliveryResponse(
        String id,
        String eventId,
        String endpointId,
        String status,
        int attemptCount,
        Instant nextAttemptAt,
        String heldBy,
        String supersededBy,
        Instant createdAt,
        List<AttemptResponse> attempts) {
    public static DeliveryResponse of(Delivery d) {
        return new DeliveryResponse(
                d.id().value(),
                d.eventId().value(),
                d.endpointId().value(),
                d.status().wire(),
                d.attemptCount(),
                d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt() : null,
                d.heldBy() == null ? null : d.heldBy().value(),
                d.supersededBy(),
                d.createdAt(),
                d.attempts().stream().map(AttemptResponse::of).toList());
    }
}
