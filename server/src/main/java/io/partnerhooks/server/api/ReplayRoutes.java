package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ReplayEvents;
import io.partnerhooks.server.api.model.ReplayPageResponse;
import io.partnerhooks.server.api.model.ReplayRequest;
import io.partnerhooks.server.api.model.ReplayResponse;

/** Replays of an endpoint's past events: {@code POST /v1/endpoints/{id}/replay} and {@code /v1/replays}. */
public final class ReplayRoutes implements RouteGroup {
    private final AuditedChanges changes;

    public ReplayRoutes(AuditedChanges changes) {
        this.changes = changes;
    }

    @Override
    public void register(Routes r) {
        if (changes.replays() == null) {
            return;
        }
        r.partner()
                .post("/v1/endpoints/{id}/replay", this::replay)
                .get("/v1/replays", this::listReplays)
                .get("/v1/replays/{id}", this::getReplay);
    }

    private void replay(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        ReplayRequest body = Bodies.read(ctx, ReplayRequest.class);
        var request = new ReplayEvents.Request(body.since(), body.until(), body.eventTypes(), body.which());
        var replay = changes.replay(Actor.partner(p.id()), p.id(), id, request);
        Json.send(ctx, 202, ReplayResponse.of(replay));
    }

    private void getReplay(Context ctx) {
        Json.send(
                ctx,
                200,
                ReplayResponse.of(changes.replays().get(Auth.partner(ctx).id(), ctx.pathParam("id"))));
    }

    private void listReplays(Context ctx) {
        int limit = Params.limit(ctx);
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.REPLAY)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        String endpoint = ctx.queryParam("endpoint_id");
        if (endpoint != null && !Ids.looksLike(endpoint, Ids.ENDPOINT)) {
            throw new InvalidInputException("endpoint_id", "must be an endpoint id (ep_...)");
        }
        var page = changes.replays()
                .list(Auth.partner(ctx).id(), endpoint == null ? null : new EndpointId(endpoint), limit, after);
        Json.send(ctx, 200, ReplayPageResponse.of(page));
    }
}
