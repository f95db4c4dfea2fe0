package io.partnerhooks.server.api.model;

import io.partnerhooks.core.catalog.EventCatalog;
import java.util.List;

/** Event types of the catalog, in catalog order. */
@ApiSchema("listEventTypes 200")
public record EventTypeListResponse(List<EventTypeResponse> data) {
    public static EventTypeListResponse of(List<EventCatalog.EventType> types) {
        return new EventTypeListResponse(
                types.stream().map(EventTypeResponse::of).toList());
    }
}
