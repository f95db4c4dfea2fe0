package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.catalog.EventCatalog;
import java.util.List;

/** A type of the event catalog with the provider events it stands for, its data's JSON Schema and an example. */
@ApiSchema("EventType")
public record EventTypeResponse(
        String name,
        String description,
        String domain,
        String route,
        String orderingKey,
        boolean collapsible,
        List<EventTypeSourceResponse> sources,
        JsonNode schema,
        JsonNode example) {
    public static EventTypeResponse of(EventCatalog.EventType t) {
        return new EventTypeResponse(
                t.type(),
                t.description(),
                t.domain(),
                t.route(),
                t.orderingKey(),
                t.collapsible(),
                t.sources().stream().map(EventTypeSourceResponse::of).toList(),
                StoredJson.parse(t.schemaJson()),
                StoredJson.parse(t.exampleJson()));
    }
}
