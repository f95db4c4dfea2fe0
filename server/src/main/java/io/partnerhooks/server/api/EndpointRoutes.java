package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.EndpointChange;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.SendTestEvent;
import io.partnerhooks.server.api.model.EndpointListResponse;
import io.partnerhooks.server.api.model.EndpointRequest;
import io.partnerhooks.server.api.model.EndpointResponse;
import io.partnerhooks.server.api.model.EndpointStatsResponse;
import io.partnerhooks.server.api.model.EndpointWithSecretResponse;
import io.partnerhooks.server.api.model.Explicit;
import io.partnerhooks.server.api.model.RecoverRequest;
import io.partnerhooks.server.api.model.RecoverResponse;
import io.partnerhooks.server.api.model.SecretResponse;
import io.partnerhooks.server.api.model.SecretRotationRequest;
import io.partnerhooks.server.api.model.SecretRotationResponse;
import io.partnerhooks.server.api.model.TestSendRequest;
import io.partnerhooks.server.api.model.TestSendResponse;

/** {@code /v1/endpoints}: a partner's endpoints, their secrets, recovery, test sends and statistics. */
public final class EndpointRoutes implements RouteGroup {
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
        EndpointRequest body = Bodies.read(ctx, EndpointRequest.class);
        Partner p = Auth.partner(ctx);
        Endpoint e = changes.createEndpoint(Actor.partner(p.id()), p.id(), change(body));
        Json.send(ctx, 201, EndpointWithSecretResponse.of(e));
    }

    private void updateEndpoint(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        EndpointRequest body = Bodies.read(ctx, EndpointRequest.class);
        Endpoint e = changes.updateEndpoint(Actor.partner(p.id()), p.id(), id, change(body));
        Json.send(ctx, 200, EndpointResponse.of(e));
    }

    private static EndpointChange change(EndpointRequest b) {
        Explicit<Integer> rate = b.rateLimitPerSecond();
        return new EndpointChange(
                b.url(),
                b.eventTypes(),
                b.description(),
                b.enabled(),
                b.maxInFlight(),
                rate == null ? null : rate.value(),
                rate != null && rate.cleared(),
                b.format(),
                b.headers(),
                b.collapse(),
                b.ordering(),
                b.filter(),
                b.traceContext());
    }

    private void rotateSecret(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        SecretRotationRequest body = Bodies.readOrEmpty(ctx, SecretRotationRequest.class);
        Endpoint e = changes.rotateSecret(Actor.partner(p.id()), p.id(), id, body.overlapHours());
        Json.send(ctx, 200, SecretRotationResponse.of(e));
    }

    private void recover(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        RecoverRequest body = Bodies.read(ctx, RecoverRequest.class);
        int n = changes.recover(Actor.partner(p.id()), p.id(), id, body.since());
        Json.send(ctx, 202, new RecoverResponse(n));
    }

    private void sendTest(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        TestSendRequest body = Bodies.readOrEmpty(ctx, TestSendRequest.class);
        var sent = sendTest.send(p.id(), id, body.type());
        Json.send(
                ctx,
                202,
                new TestSendResponse(sent.eventId().value(), sent.deliveryId().value(), id.value(), sent.type(), true));
    }

    private void listEndpoints(Context ctx) {
        var data = endpoints.list(Auth.partner(ctx).id()).stream()
                .map(e -> EndpointResponse.of(e))
                .toList();
        Json.send(ctx, 200, new EndpointListResponse(data));
    }

    private void getEndpoint(Context ctx) {
        Endpoint e = endpoints.get(Auth.partner(ctx).id(), ManageEndpoints.parseId(ctx.pathParam("id")));
        Json.send(ctx, 200, EndpointResponse.of(e));
    }

    private void getSecret(Context ctx) {
        Endpoint e = endpoints.get(Auth.partner(ctx).id(), ManageEndpoints.parseId(ctx.pathParam("id")));
        Json.send(ctx, 200, new SecretResponse(e.secret()));
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
        Json.send(ctx, 200, EndpointStatsResponse.of(id, window, computed));
    }
}
