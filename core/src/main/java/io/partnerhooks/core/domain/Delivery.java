package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import java.time.Instant;
import java.util.List;

/**
 * A delivery of one event to one endpoint, with its attempts (oldest first). {@code heldBy} is set
 * on a pending delivery to an ordered endpoint that waits behind an earlier one of its ordering
 * key: the delivery at the head of that key, which must be delivered or finally fail first;
 * {@code nextAttemptAt} is null while it waits. {@code supersededBy}: for a superseded delivery of
 * a monotonic messaging webhook, the status already relayed that made it moot.
 */
public record Delivery(
        DeliveryId id,
        EventId eventId,
        EndpointId endpointId,
        DeliveryStatus status,
        int attemptCount,
        Instant nextAttemptAt,
        Instant createdAt,
        List<Attempt> attempts,
        DeliveryId heldBy,
        String supersededBy) {

    public Delivery(
            DeliveryId id,
            EventId eventId,
            EndpointId endpointId,
            DeliveryStatus status,
            int attemptCount,
            Instant nextAttemptAt,
            Instant createdAt,
            List<Attempt> attempts) {
        this(id, eventId, endpointId, status, attemptCount, nextAttemptAt, createdAt, attempts, null, null);
    }

    public Delivery(
            DeliveryId id,
            EventId eventId,
            EndpointId endpointId,
            DeliveryStatus status,
            int attemptCount,
            Instant nextAttemptAt,
            Instant createdAt,
            List<Attempt> attempts,
            DeliveryId heldBy) {
        this(id, eventId, endpointId, status, attemptCount, nextAttemptAt, createdAt, attempts, heldBy, null);
    }
}
