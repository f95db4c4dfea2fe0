package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import java.util.Optional;

/** A partner's deliveries, each with its attempts: one by id, or an endpoint's, newest first. */
public final class ReadDeliveries {
    private final EventStore events;

    public ReadDeliveries(EventStore events) {
        this.events = events;
    }

    public Optional<Delivery> find(PartnerId partner, DeliveryId id) {
        return events.delivery(partner, id);
    }

    /** By a path id: junk, unknown ids and other partners' deliveries are all "not found". */
    public Delivery get(PartnerId partner, String raw) {
        if (!Ids.looksLike(raw, Ids.DELIVERY)) {
            throw notFound(raw);
        }
        return events.delivery(partner, new DeliveryId(raw)).orElseThrow(() -> notFound(raw));
    }

    /**
     * The endpoint's deliveries, newest first, optionally of one {@code status}. The caller has
     * looked the endpoint up as the partner's; another partner's endpoint lists nothing here anyway.
     */
    public Page<Delivery> forEndpoint(
            PartnerId partner, EndpointId endpoint, DeliveryStatus status, int limit, String after) {
        return events.endpointDeliveries(partner, endpoint, status, limit, after);
    }

    private static NotFoundException notFound(String raw) {
        return new NotFoundException("id", "no delivery " + raw);
    }
}
