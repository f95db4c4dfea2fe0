package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ReadDeliveries;
import io.partnerhooks.core.usecase.ReadEvents;
import io.partnerhooks.server.api.model.DeliveryListResponse;
import io.partnerhooks.server.api.model.DeliveryPageResponse;
import io.partnerhooks.server.api.model.DeliveryResendResponse;
import io.partnerhooks.server.api.model.DeliveryResponse;
import io.partnerhooks.server.api.model.DeliveryRetryResponse;
import java.util.List;

/** {@code /v1/deliveries} and the delivery lists of an endpoint and of an event: reading, retrying, resending. */
public final class DeliveryRoutes implements RouteGroup {
    private final ManageEndpoints endpoints;
    private final ReadEvents events;
    private final ReadDeliveries deliveries;
    private final AuditedChanges changes;

    public DeliveryRoutes(
            ManageEndpoints endpoints, ReadEvents events, ReadDeliveries deliveries, AuditedChanges changes) {
        this.endpoints = endpoints;
        this.events = events;
        this.deliveries = deliveries;
        this.changes = changes;
    }

    @Override
    public void register(Routes r) {
        r.partner()
                .post("/v1/deliveries/{id}/retry", this::retryDelivery)
                .post("/v1/deliveries/{id}/resend", this::resendDelivery)
                .get("/v1/deliveries/{id}", this::getDelivery)
                .get("/v1/endpoints/{id}/deliveries", this::endpointDeliveries)
                .get("/v1/events/{id}/deliveries", this::listDeliveries);
    }

    private void retryDelivery(Context ctx) {
        String raw = ctx.pathParam("id");
        Partner p = Auth.partner(ctx);
        changes.retry(Actor.partner(p.id()), p.id(), raw);
        Json.send(ctx, 202, new DeliveryRetryResponse(raw, "pending"));
    }

    private void resendDelivery(Context ctx) {
        String raw = ctx.pathParam("id");
        Partner p = Auth.partner(ctx);
        var fresh = changes.resend(Actor.partner(p.id()), p.id(), raw);
        Json.send(ctx, 202, new DeliveryResendResponse(fresh.value(), raw, "pending"));
    }

    private void getDelivery(Context ctx) {
        Delivery d = deliveries.get(Auth.partner(ctx).id(), ctx.pathParam("id"));
        Json.send(ctx, 200, DeliveryResponse.of(d));
    }

    private void endpointDeliveries(Context ctx) {
        Partner p = Auth.partner(ctx);
        var id = ManageEndpoints.parseId(ctx.pathParam("id"));
        endpoints.get(p.id(), id);
        String status = ctx.queryParam("status");
        DeliveryStatus st = null;
        if (status != null) {
            try {
                st = DeliveryStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("status", "must be pending, delivered, failed or superseded");
            }
        }
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.DELIVERY)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        Page<Delivery> page = deliveries.forEndpoint(p.id(), id, st, Params.limit(ctx), after);
        Json.send(ctx, 200, DeliveryPageResponse.of(page));
    }

    private void listDeliveries(Context ctx) {
        List<Delivery> ds = events.withDeliveries(Auth.partner(ctx).id(), Params.eventId(ctx))
                .deliveries();
        Json.send(ctx, 200, DeliveryListResponse.of(ds));
    }
}
