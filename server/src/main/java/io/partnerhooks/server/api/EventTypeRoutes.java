package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.server.api.model.EventTypeListResponse;
import io.partnerhooks.server.api.model.EventTypeResponse;
import java.util.List;

/**
 * {@code GET /v1/event-types}: every type partners can subscribe to, with its schema and an
 * example; {@code GET /v1/event-types/{name}}: one of them. The catalog is the same for every
 * partner.
 */
public final class EventTypeRoutes implements RouteGroup {
    private final EventCatalog catalog;

    public EventTypeRoutes(EventCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void register(Routes r) {
        r.partner().get("/v1/event-types", this::list).get("/v1/event-types/{name}", this::one);
    }

    private void one(Context ctx) {
        String name = ctx.pathParam("name");
        EventCatalog.EventType t = catalog.find(name)
                .orElseThrow(() -> new NotFoundException(
                        "name", "no event type " + name + " in the catalog (GET /v1/event-types lists them)"));
        Json.send(ctx, 200, EventTypeResponse.of(t));
    }

    private void list(Context ctx) {
        String prefix = ctx.queryParam("prefix");
        if (prefix != null && !prefix.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?")) {
            throw new InvalidInputException("prefix", "must be dot-separated lower-case words, e.g. workspace.quota");
        }
        List<EventCatalog.EventType> types = prefix == null ? catalog.types() : catalog.byPrefix(prefix);
        Json.send(ctx, 200, EventTypeListResponse.of(types));
    }
}
