package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.EndpointChange;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ReadDeliveries;
import io.partnerhooks.core.usecase.ReadEvents;
import java.util.List;

/** {@code /v1/...}: what a partner does with its own endpoints, events and deliveries. */
public final class PartnerApi {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 250;
    private static final String[] ENDPOINT_FIELDS =
            {"url", "event_types", "description", "enabled", "max_in_flight", "rate_limit_per_second", "format",
                    "headers", "collapse", "ordering", "filter", "trace_context"};

    private final ManageEndpoints endpoints;
    private final ReadEvents events;
    private final ReadDeliveries deliveries;
    private final ComputeEndpointStats stats;
    private final AuditedChanges changes;
    private io.partnerhooks.core.usecase.SendTestEvent sendTest;

    /** Adds {@code POST /v1/endpoints/{id}/test}; set before {@link #register}. */
    public PartnerApi withTestSends(io.partnerhooks.core.usecase.SendTestEvent sendTest) {
        this.sendTest = sendTest;
        return this;
    }

    public PartnerApi(ManageEndpoints endpoints, ReadEvents events, ReadDeliveries deliveries, ComputeEndpointStats stats,
            AuditedChanges changes) {
        this.changes = changes;
        this.endpoints = endpoints;
        this.events = events;
        this.deliveries = deliveries;
        this.stats = stats;
    }

    public void register(RoutesConfig r, Auth auth) {
        r.before("/v1/*", auth::requirePartner);
        r.post("/v1/endpoints", this::createEndpoint);
        r.get("/v1/endpoints", this::listEndpoints);
        r.get("/v1/endpoints/{id}", this::getEndpoint);
        r.patch("/v1/endpoints/{id}", this::updateEndpoint);
        r.delete("/v1/endpoints/{id}", this::deleteEndpoint);
        r.get("/v1/endpoints/{id}/secret", this::getSecret);
        r.post("/v1/endpoints/{id}/secret/rotate", this::rotateSecret);
        r.post("/v1/endpoints/{id}/recover", this::recover);
        if (sendTest != null) {
            r.post("/v1/endpoints/{id}/test", this::sendTest);
        }
        if (changes.replays() != null) {
            r.post("/v1/endpoints/{id}/replay", this::replay);
            r.get("/v1/replays", this::listReplays);
            r.get("/v1/replays/{id}", this::getReplay);
        }
        r.post("/v1/deliveries/{id}/retry", this::retryDelivery);
        r.post("/v1/deliveries/{id}/resend", this::resendDelivery);
        r.get("/v1/deliveries/{id}", this::getDelivery);
        r.get("/v1/endpoints/{id}/deliveries", this::endpointDeliveries);
        r.get("/v1/endpoints/{id}/stats", this::stats);
        r.get("/v1/events", this::listEvents);
        r.get("/v1/events/{id}", this::getEvent);
        r.get("/v1/events/{id}/deliveries", this::listDeliveries);
    }

    private void createEndpoint(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, ENDPOINT_FIELDS);
        Partner p = Auth.partner(ctx);
        Endpoint e = changes.createEndpoint(Actor.partner(p.id()), p.id(), change(body));
        Json.send(ctx, 201, Views.endpoint(e, true));
    }

    private void updateEndpoint(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, ENDPOINT_FIELDS);
        Endpoint e = changes.updateEndpoint(Actor.partner(p.id()), p.id(), id, change(body));
        Json.send(ctx, 200, Views.endpoint(e, false));
    }

    private static EndpointChange change(ObjectNode body) {
        boolean clearRate = body.has("rate_limit_per_second") && body.get("rate_limit_per_second").isNull();
        return new EndpointChange(Json.optionalString(body, "url"), Json.optionalStringList(body, "event_types"),
                Json.optionalString(body, "description"), Json.optionalBoolean(body, "enabled"),
                Json.optionalInt(body, "max_in_flight"), Json.optionalInt(body, "rate_limit_per_second"), clearRate,
                Json.optionalString(body, "format"), Json.optionalStringMap(body, "headers"),
                Json.optionalBoolean(body, "collapse"), Json.optionalString(body, "ordering"),
                Json.optionalSubjectFilter(body, "filter"), Json.optionalBoolean(body, "trace_context"));
    }

    private void rotateSecret(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        Json.onlyFields(body, "overlap_hours");
        Endpoint e = changes.rotateSecret(Actor.partner(p.id()), p.id(), id, Json.optionalInt(body, "overlap_hours"));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", e.id().value());
        out.put("secret", e.secret());
        out.put("previous_secret_expires_at", io.partnerhooks.core.domain.Times.format(e.previousSecretExpiresAt()));
        Json.send(ctx, 200, out);
    }

    private void recover(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "since");
        java.time.Instant since = Json.optionalTime(body, "since");
        int n = changes.recover(Actor.partner(p.id()), p.id(), id, since);
        Json.send(ctx, 202, Json.MAPPER.createObjectNode().put("requeued", n));
    }

    private void sendTest(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        Json.onlyFields(body, "type");
        var sent = sendTest.send(p.id(), id, Json.optionalString(body, "type"));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("event_id", sent.eventId().value());
        out.put("delivery_id", sent.deliveryId().value());
        out.put("endpoint_id", id.value());
        out.put("type", sent.type());
        out.put("test", true);
        Json.send(ctx, 202, out);
    }

    private void replay(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "since", "until", "event_types", "which");
        var request = new io.partnerhooks.core.usecase.ReplayEvents.Request(Json.optionalTime(body, "since"),
                Json.optionalTime(body, "until"), Json.optionalStringList(body, "event_types"),
                Json.optionalString(body, "which"));
        var replay = changes.replay(Actor.partner(p.id()), p.id(), id, request);
        Json.send(ctx, 202, Views.replay(replay));
    }

    private void getReplay(Context ctx) {
        Json.send(ctx, 200, Views.replay(changes.replays().get(Auth.partner(ctx).id(), ctx.pathParam("id"))));
    }

    private void listReplays(Context ctx) {
        int limit = limit(ctx);
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.REPLAY)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        String endpoint = ctx.queryParam("endpoint_id");
        if (endpoint != null && !Ids.looksLike(endpoint, Ids.ENDPOINT)) {
            throw new InvalidInputException("endpoint_id", "must be an endpoint id (ep_...)");
        }
        var page = changes.replays().list(Auth.partner(ctx).id(),
                endpoint == null ? null : new io.partnerhooks.core.id.EndpointId(endpoint), limit, after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.items().forEach(x -> data.add(Views.replay(x)));
        out.put("next_cursor", page.nextCursor());
        Json.send(ctx, 200, out);
    }

    private void retryDelivery(Context ctx) {
        String raw = ctx.pathParam("id");
        Partner p = Auth.partner(ctx);
        changes.retry(Actor.partner(p.id()), p.id(), raw);
        Json.send(ctx, 202, Json.MAPPER.createObjectNode().put("id", raw).put("status", "pending"));
    }

    private void resendDelivery(Context ctx) {
        String raw = ctx.pathParam("id");
        Partner p = Auth.partner(ctx);
        var fresh = changes.resend(Actor.partner(p.id()), p.id(), raw);
        Json.send(ctx, 202, Json.MAPPER.createObjectNode().put("id", fresh.value()).put("resent_from", raw)
                .put("status", "pending"));
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
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        changes.deleteEndpoint(Actor.partner(p.id()), p.id(), id);
        ctx.status(204);
    }

    private void listEvents(Context ctx) {
        int limit = limit(ctx);
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.EVENT)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        String type = ctx.queryParam("type");
        if (type != null && io.partnerhooks.core.domain.EventTypeFilter.checkPattern(type).isPresent()) {
            throw new InvalidInputException("type", "must be an event type, a prefix ending in .*, or *");
        }
        String status = ctx.queryParam("status");
        if (status != null && !status.equals("failed")) {
            throw new InvalidInputException("status", "must be failed (events with a failed delivery)");
        }
        var filter = new EventFilter(type, time(ctx, "since"), time(ctx, "until"), status != null,
                subjectId(ctx, "workspace_id"), subjectId(ctx, "channel_id"), subjectId(ctx, "phone_number"));
        Page<Event> page = events.list(Auth.partner(ctx).id(), filter, limit, after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.items().forEach(e -> data.add(Views.event(e)));
        out.put("next_cursor", page.nextCursor());
        Json.send(ctx, 200, out);
    }

    private void getEvent(Context ctx) {
        EventId id = eventId(ctx);
        Event e = events.get(Auth.partner(ctx).id(), id);
        Json.send(ctx, 200, Views.event(e));
    }

    private void listDeliveries(Context ctx) {
        List<Delivery> ds = events.withDeliveries(Auth.partner(ctx).id(), eventId(ctx)).deliveries();
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        ds.forEach(d -> data.add(Views.delivery(d)));
        Json.send(ctx, 200, out);
    }

    private void getDelivery(Context ctx) {
        Delivery d = deliveries.get(Auth.partner(ctx).id(), ctx.pathParam("id"));
        Json.send(ctx, 200, Views.delivery(d));
    }

    private void endpointDeliveries(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        endpoints.get(p.id(), id);
        String status = ctx.queryParam("status");
        io.partnerhooks.core.domain.DeliveryStatus st = null;
        if (status != null) {
            try {
                st = io.partnerhooks.core.domain.DeliveryStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("status", "must be pending, delivered, failed or superseded");
            }
        }
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.DELIVERY)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        Page<Delivery> page = deliveries.forEndpoint(p.id(), id, st, limit(ctx), after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.items().forEach(d -> data.add(Views.delivery(d)));
        out.put("next_cursor", page.nextCursor());
        Json.send(ctx, 200, out);
    }

    private void stats(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        endpoints.get(p.id(), id);
        String window = ctx.queryParam("window") == null ? "24h" : ctx.queryParam("window");
        var computed = stats.of(p.id(), id, ComputeEndpointStats.window(window));
        var st = computed.figures();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("endpoint_id", id.value());
        out.put("window", window);
        out.put("attempts", st.attempts());
        out.put("succeeded", st.succeeded());
        out.put("success_rate", st.successRate());
        out.put("latency_p50_ms", st.latencyP50Ms());
        out.put("latency_p95_ms", st.latencyP95Ms());
        out.put("sampled", computed.sampled());
        ObjectNode failures = out.putObject("failures_by_class");
        st.failuresByClass().forEach(failures::put);
        Json.send(ctx, 200, out);
    }

    private static String subjectId(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v != null && (v.isEmpty() || v.length() > 128)) {
            throw new InvalidInputException(name, "must be 1 to 128 characters");
        }
        return v;
    }

    private static java.time.Instant time(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(name, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
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
