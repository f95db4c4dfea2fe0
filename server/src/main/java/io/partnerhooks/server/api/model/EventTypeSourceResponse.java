package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.partnerhooks.core.catalog.EventCatalog;

/** A provider event a catalog type stands for; {@code when} (the condition) shows only when there is one. */
public record EventTypeSourceResponse(
        String provider,
        String event,
        @JsonInclude(Include.NON_NULL) String when) {
    public static EventTypeSourceResponse of(EventCatalog.Source s) {
        return new EventTypeSourceResponse(s.provider(), s.event(), s.when());
    }
}
