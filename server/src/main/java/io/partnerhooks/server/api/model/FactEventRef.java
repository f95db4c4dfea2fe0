package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Event;

/** An event a report or fact change published, named by id and type. */
@ApiSchema("EventRef")
public record FactEventRef(String id, String type) {
    public static FactEventRef of(Event e) {
        return new FactEventRef(e.id().value(), e.type());
    }
}
