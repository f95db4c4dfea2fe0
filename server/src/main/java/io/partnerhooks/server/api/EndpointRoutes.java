package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.EndpointChange;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.SendTestEvent;
import java.time.Instant;

/** {@code /v1/endpoints}: a partner's endpoints, their secrets, recovery, test sends and statistics. */
public final class EndpointRoutes implements RouteGroup {
    private static final String[] ENDPOINT_FIELDS = {
        "url",
        "event_types",
        "description",
        "enabled",
        "max_in_flight",
        "rate_limit_per_second",
        "format",
        "headers",
        "collapse",
        "ordering",
        "filter",
        "trace_context"
    };

    private final ManageEndpoints endpoints;
    private final ComputeEndpointStats stats;
    private final AuditedChanges changes;
    private final SendTestEvent sendTest;

    public EndpointRoutes(
            ManageEndpoints endpoints, ComputeEndpointStats stats, AuditedChanges changes, SendTestEvent sendTest) {
        this.endpoints = endpoints;
        this.stats = stats;
        this.changes = changes;
        this.sendTest = sendTest;
    }

    @Override
    public void register(Routes r) {
        r.partner()
                .post("/v1/endpoints", this::createEndpoint)
                .get("/v1/endpoints", this::listEndpoints)
                .get("/v1/endpoints/{id}", this::getEndpoint)
                .patch("/v1/endpoints/{id}", this::updateEndpoint)
                .delete("/v1/endpoints/{id}", this::deleteEndpoint)
                .get("/v1/endpoints/{id}/secret", this::getSecret)
                .post("/v1/endpoints/{id}/secret/rotate", this::rotateSecret)
                .post("/v1/endpoints/{id}/recover", this::recover)
                .post("/v1/endpoints/{id}/test", this::sendTest)
                .get("/v1/endpoints/{id}/stats", this::stats);
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
        boolean clearRate = body.has("rate_limit_per_second")
                && body.get("rate_limit_per_second").isNull();
        return new EndpointChange(
                Json.optionalString(body, "url"),
                Json.optionalStringList(body, "event_types"),
                Json.optionalString(body, "description"),
                Json.optionalBoolean(body, "enabled"),
                Json.optionalInt(body, "max_in_flight"),
                Json.optionalInt(body, "rate_limit_per_second"),
                clearRate,
                Json.optionalString(body, "format"),
                Json.optionalStringMap(body, "headers"),
                Json.optionalBoolean(body, "collapse"),
                Json.optionalString(body, "ordering"),
                Json.optionalSubjectFilter(body, "filter"),
                Json.optionalBoolean(body, "trace_context"));
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
        out.put("previous_secret_expires_at", Times.format(e.previousSecretExpiresAt()));
        Json.send(ctx, 200, out);
    }

    private void recover(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "since");
        Instant since = Json.optionalTime(body, "since");
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
}
