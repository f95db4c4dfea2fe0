package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;

/** A partner's webhook target. The secret is the Standard Webhooks signing secret ({@code whsec_...}). */
public record Endpoint(
        EndpointId id,
        PartnerId partnerId,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        String secret,
        Instant createdAt,
        Instant updatedAt) {

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
    }

    public boolean accepts(String eventType) {
        return EventTypeFilter.matchesAny(eventTypes, eventType);
    }
}
