package io.partnerhooks.core.usecase;

import io.partnerhooks.core.audit.AuditSnapshots;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import java.time.Instant;

/**
 * The audited changes to a partner's endpoints and deliveries, one method per change, shared by
 * every way in: the partner API, the provider-compatible settings routes and the dashboard. Each
 * runs the change and its audit row in one transaction ({@link AuditTrail}); the row names the
 * acting partner or the operator, and always belongs to {@code partner}. The row's before and
 * after states are snapshots of the domain records ({@link AuditSnapshots}). Test sends are
 * events, not configuration, and are not audited (docs/adr/0007).
 */
public final class AuditedChanges {
    private final ManageEndpoints endpoints;
    private final EventStore events;
    private final RotateSecret rotateSecret;
    private final Redeliver redeliver;
    private final AuditTrail audit;
    private ReplayEvents replays;

    public AuditedChanges(
            ManageEndpoints endpoints,
            EventStore events,
            RotateSecret rotateSecret,
            Redeliver redeliver,
            AuditTrail audit) {
        this.endpoints = endpoints;
        this.events = events;
        this.rotateSecret = rotateSecret;
        this.redeliver = redeliver;
        this.audit = audit;
    }

    /** Adds {@link #replay}; set once at start-up. */
    public AuditedChanges withReplays(ReplayEvents replays) {
        this.replays = replays;
        return this;
    }

    public ReplayEvents replays() {
        return replays;
    }

    public AuditTrail trail() {
        return audit;
    }

    /**
     * Starts a replay of the endpoint's events (stored in one unit with its audit row);
     * the background worker sends them.
     */
    public Replay replay(Actor actor, PartnerId partner, EndpointId id, ReplayEvents.Request request) {
        // counted before the unit opens: the count may read many rows, the unit holds the write lock on SQLite
        Replay r = replays.prepare(partner, id, request);
        return audit.record(actor, "endpoint.replay", "endpoint", a -> {
            a.owner(partner.value()).target(id.value());
            replays.save(r);
            a.after(AuditSnapshots.replay(r));
            return r;
        });
    }

    public Endpoint createEndpoint(Actor actor, PartnerId partner, EndpointChange change) {
        return audit.record(actor, "endpoint.create", "endpoint", a -> {
            Endpoint created = endpoints.register(partner, change);
            a.owner(partner.value()).target(created.id().value()).after(AuditSnapshots.endpoint(created, true));
            return created;
        });
    }

    public Endpoint updateEndpoint(Actor actor, PartnerId partner, EndpointId id, EndpointChange change) {
        return audit.record(actor, "endpoint.update", "endpoint", a -> {
            a.owner(partner.value())
                    .target(id.value())
                    .before(AuditSnapshots.endpoint(endpoints.get(partner, id), false));
            Endpoint updated = endpoints.update(partner, id, change);
            a.after(AuditSnapshots.endpoint(updated, false));
            return updated;
        });
    }

    public void deleteEndpoint(Actor actor, PartnerId partner, EndpointId id) {
        audit.record(actor, "endpoint.delete", "endpoint", a -> {
            a.owner(partner.value())
                    .target(id.value())
                    .before(AuditSnapshots.endpoint(endpoints.get(partner, id), false));
            endpoints.delete(partner, id);
            return null;
        });
    }

    /**
     * The partner's default endpoint of a provider format (the compatibility settings routes):
     * recorded as {@code endpoint.create} the first time and {@code endpoint.update} afterwards.
     */
    public Endpoint setDefaultEndpoint(Actor actor, PartnerId partner, String format, String url) {
        return audit.record(actor, "endpoint.update", "endpoint", a -> {
            a.owner(partner.value());
            endpoints
                    .findDefault(partner, format)
                    .ifPresentOrElse(
                            old -> a.before(AuditSnapshots.endpoint(old, false)), () -> a.action("endpoint.create"));
            Endpoint e = endpoints.setDefault(partner, format, url);
            a.target(e.id().value()).after(AuditSnapshots.endpoint(e, false));
            return e;
        });
    }

    public Endpoint rotateSecret(Actor actor, PartnerId partner, EndpointId id, Integer overlapHours) {
        return audit.record(actor, "endpoint.secret_rotate", "endpoint", a -> {
            a.owner(partner.value()).target(id.value()).before(AuditSnapshots.secrets(endpoints.get(partner, id)));
            Endpoint rotated = rotateSecret.rotate(partner, id, overlapHours);
            a.after(AuditSnapshots.secrets(rotated));
            return rotated;
        });
    }

    /** Re-queues the endpoint's failed deliveries since {@code since}; a recover that re-queued nothing leaves no row. */
    public int recover(Actor actor, PartnerId partner, EndpointId id, Instant since) {
        return audit.record(actor, "endpoint.recover", "endpoint", a -> {
            int requeued = redeliver.recover(partner, id, since);
            a.owner(partner.value()).target(id.value()).after(AuditSnapshots.recovered(since, requeued));
            if (requeued == 0) {
                a.nothingChanged();
            }
            return requeued;
        });
    }

    public void retry(Actor actor, PartnerId partner, String rawDeliveryId) {
        audit.record(actor, "delivery.retry", "delivery", a -> {
            a.owner(partner.value());
            if (Ids.looksLike(rawDeliveryId, Ids.DELIVERY)) {
                events.delivery(partner, new DeliveryId(rawDeliveryId))
                        .ifPresent(d -> a.before(AuditSnapshots.deliveryStatus(d)));
            }
            redeliver.retry(partner, rawDeliveryId);
            a.target(rawDeliveryId).after(AuditSnapshots.pending());
            return null;
        });
    }

    public DeliveryId resend(Actor actor, PartnerId partner, String rawDeliveryId) {
        return audit.record(actor, "delivery.resend", "delivery", a -> {
            a.owner(partner.value()).target(rawDeliveryId);
            DeliveryId fresh = redeliver.resend(partner, rawDeliveryId);
            a.after(AuditSnapshots.resentAs(fresh.value()));
            return fresh;
        });
    }
}
