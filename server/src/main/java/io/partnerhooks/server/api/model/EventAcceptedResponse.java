package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.PublishEvent;

/** A published event's id; {@code created} is false when its idempotency key answered an earlier event. */
@ApiSchema("EventAccepted")
public record EventAcceptedResponse(String id, boolean created) {
    public static EventAcceptedResponse of(PublishEvent.Published p) {
        return new EventAcceptedResponse(p.id().value(), p.created());
    }
}
