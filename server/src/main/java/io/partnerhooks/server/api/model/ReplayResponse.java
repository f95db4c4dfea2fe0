package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Replay;
import java.time.Instant;
import java.util.List;

/**
 * A replay of an endpoint's past events and its progress; {@code event_types} is null when the
 * endpoint's subscription is taken as it is.
 */
@ApiSchema("Replay")
public record ReplayResponse(
        String id,
        String endpointId,
        String which,
        Instant since,
        Instant until,
        List<String> eventTypes,
        String state,
        long matched,
        long queued,
        long delivered,
        long failed,
        long pending,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt) {
    public static ReplayResponse of(Replay r) {
        return new ReplayResponse(
                r.id().value(),
                r.endpointId().value(),
                r.which().wire(),
                r.since(),
                r.until(),
                r.eventTypes(),
                r.state().wire(),
                r.matched(),
                r.queued(),
                r.delivered(),
                r.failed(),
                r.pending(),
                r.createdAt(),
                r.startedAt(),
                r.completedAt());
    }
}
