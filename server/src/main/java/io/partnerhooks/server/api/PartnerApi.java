package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.usecase.EndpointChange;
import io.partnerhooks.core.usecase.ManageEndpoints;
import java.util.List;

/** {@code /v1/...}: what a partner does with its own endpoints, events and deliveries. */
public final class PartnerApi {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 250;
    private static final String[] ENDPOINT_FIELDS = {"url", "event_types", "description", "enabled"};

    private final ManageEndpoints endpoints;
    private final EventStore events;

    public PartnerApi(ManageEndpoints endpoints, EventStore events) {
        this.endpoints = endpoints;
        this.events = events;
    }

    public void register(RoutesConfig r, Auth auth) {
        r.before("/v1/*", auth::requirePartner);
        r.post("/v1/endpoints", this::createEndpoint);
        r.get("/v1/endpoints", this::listEndpoints);
        r.get("/v1/endpoints/{id}", this::getEndpoint);
        r.patch("/v1/endpoints/{id}", this::updateEndpoint);
        r.delete("/v1/endpoints/{id}", this::deleteEndpoint);
        r.get("/v1/endpoints/{id}/secret", this::getSecret);
        r.get("/v1/events", this::listEvents);
        r.get("/v1/events/{id}", this::getEvent);
        r.get("/v1/events/{id}/deliveries", this::listDeliveries);
    }

    private void createEndpoint(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, ENDPOINT_FIELDS);
        Endpoint e = endpoints.register(Auth.partner(ctx).id(), change(body));
        Json.send(ctx, 201, Views.endpoint(e, true));
    }

    private void updateEndpoint(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, ENDPOINT_FIELDS);
        Endpoint e = endpoints.update(p.id(), id, change(body));
        Json.send(ctx, 200, Views.endpoint(e, false));
    }

    private static EndpointChange change(ObjectNode body) {
        return new EndpointChange(Json.optionalString(body, "url"), Json.optionalStringList(body, "event_types"),
                Json.optionalString(body, "description"), Json.optionalBoolean(body, "enabled"));
    }

    private void listEndpoints(Context ctx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (Endpoint e : endpoints.list(Auth.partner(ctx).id())) {
            data.add(Views.endpoint(e, false));
        }
        Json.send(ctx, 200, out);
    }

    private void getEndpoint(Context ctx) {
        Endpoint e = endpoints.get(Auth.partner(ctx).id(), ManageEndpoints.parseId(ctx.pathParam("id")));
        Json.send(ctx, 200, Views.endpoint(e, false));
    }

    private void getSecret(Context ctx) {
        Endpoint e = endpoints.get(Auth.partner(ctx).id(), ManageEndpoints.parseId(ctx.pathParam("id")));
        Json.send(ctx, 200, Json.MAPPER.createObjectNode().put("secret", e.secret()));
    }

    private void deleteEndpoint(Context ctx) {
        endpoints.delete(Auth.partner(ctx).id(), ManageEndpoints.parseId(ctx.pathParam("id")));
        ctx.status(204);
    }

    private void listEvents(Context ctx) {
        int limit = limit(ctx);
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.EVENT)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        Page<Event> page = events.list(Auth.partner(ctx).id(), limit, after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.items().forEach(e -> data.add(Views.event(e)));
        out.put("next_cursor", page.nextCursor());
        Json.send(ctx, 200, out);
    }

    private void getEvent(Context ctx) {
        EventId id = eventId(ctx);
        Event e = events.find(Auth.partner(ctx).id(), id).orElseThrow(() -> new NotFoundException("id", "no event " + id));
        Json.send(ctx, 200, Views.event(e));
    }

    private void listDeliveries(Context ctx) {
        Partner p = Auth.partner(ctx);
        EventId id = eventId(ctx);
        if (events.find(p.id(), id).isEmpty()) {
            throw new NotFoundException("id", "no event " + id);
        }
        List<Delivery> ds = events.deliveries(p.id(), id);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        ds.forEach(d -> data.add(Views.delivery(d)));
        Json.send(ctx, 200, out);
    }

    private static EventId eventId(Context ctx) {
        String raw = ctx.pathParam("id");
        if (!Ids.looksLike(raw, Ids.EVENT)) {
            throw new NotFoundException("id", "no event " + raw);
        }
        return new EventId(raw);
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
    }
}
