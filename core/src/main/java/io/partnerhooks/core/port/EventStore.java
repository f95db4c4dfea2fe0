package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.AttemptSample;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryCount;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface EventStore {
    /**
     * A delivery row to create with the event. With a lease (token and end), the row is written
     * already claimed by the node that is about to send it (see ADR 8); without one it is due at
     * the event's creation time and waits for a claim.
     */
    record NewDelivery(
            DeliveryId id,
            EndpointId endpointId,
            String leaseToken,
            Instant leasedUntil,
            boolean supersedes,
            String orderingKey) {
        public NewDelivery(DeliveryId id, EndpointId endpointId) {
            this(id, endpointId, null, null, false, null);
        }

        public NewDelivery(DeliveryId id, EndpointId endpointId, String leaseToken, Instant leasedUntil) {
            this(id, endpointId, leaseToken, leasedUntil, false, null);
        }

        public NewDelivery(
                DeliveryId id, EndpointId endpointId, String leaseToken, Instant leasedUntil, boolean supersedes) {
            this(id, endpointId, leaseToken, leasedUntil, supersedes, null);
        }

        public NewDelivery leased(String token, Instant until) {
            return new NewDelivery(id, endpointId, token, until, supersedes, orderingKey);
        }

        /**
         * Marks this delivery as the newest state for its endpoint: written in the same transaction,
         * it turns the endpoint's pending, unleased deliveries of older events of the same type and
         * ordering key into {@code superseded}.
         */
        public NewDelivery superseding() {
            return new NewDelivery(id, endpointId, leaseToken, leasedUntil, true, orderingKey);
        }

        /**
         * Marks this delivery as ordered by {@code key} (the event's ordering key, for an endpoint
         * with ordering {@code ordered}): written behind any pending delivery of the same endpoint
         * and key, it waits until that one is delivered, finally fails or is superseded (ADR 11).
         * An ordered delivery is never leased at insert.
         */
        public NewDelivery orderedBy(String key) {
            if (leaseToken != null) {
                throw new IllegalStateException("an ordered delivery is not sent by the fast path");
            }
            return new NewDelivery(id, endpointId, null, null, supersedes, key);
        }
    }

    /** What an append did: the stored event id, and whether it was new or an idempotent repeat. */
    record Appended(EventId id, boolean created) {}

    /** One event of a multi-event append. */
    record Append(Event event, List<NewDelivery> deliveries) {}

    /**
     * What a multi-event append did for one event: its id (the earlier event's for an idempotent
     * repeat), whether it was written, the sequence number it was given when it was, and how many
     * older pending deliveries it superseded (collapse).
     */
    record Stored(EventId id, boolean created, long sequence, int superseded) {
        public Stored(EventId id, boolean created, long sequence) {
            this(id, created, sequence, 0);
        }
    }

    /**
     * Writes the event and its deliveries (due at the event's creation time) in one transaction.
     * When the partner already has an event with the same idempotency key, nothing is written and
     * that event's id is returned.
     */
    Appended append(Event event, List<NewDelivery> deliveries);

    /**
     * Writes several events with their deliveries in ONE transaction (all or none), sharing the
     * commit with concurrent writers; results in the order given. Idempotency keys behave as in
     * {@link #append}, also between events of the same call.
     */
    List<Stored> appendAll(List<Append> items);

    Optional<Event> find(PartnerId partner, EventId id);

    /** Newest first; {@code afterCursor} is the {@code nextCursor} of the previous page, or null. */
    Page<Event> list(PartnerId partner, EventFilter filter, int limit, String afterCursor);

    /**
     * The page just newer than {@code beforeCursor} (an event id), still newest first: the
     * {@code limit} events right above the cursor. Its {@code nextCursor} is non-null when there
     * are newer events still, and is then the cursor for the page above this one.
     */
    Page<Event> listNewer(PartnerId partner, EventFilter filter, int limit, String beforeCursor);

    default Page<Event> list(PartnerId partner, int limit, String afterCursor) {
        return list(partner, EventFilter.ALL, limit, afterCursor);
    }

    Optional<Delivery> delivery(PartnerId partner, DeliveryId id);

    /** The endpoint's attempts since a time (at most {@code max}, newest first). */
    List<AttemptSample> attemptsSince(PartnerId partner, EndpointId endpoint, Instant since, int max);

    /** An endpoint's deliveries, newest first, optionally of one status. */
    Page<Delivery> endpointDeliveries(
            PartnerId partner, EndpointId endpoint, DeliveryStatus status, int limit, String afterCursor);

    /**
     * For these events of the partner (a page of the log), how many deliveries each has per
     * endpoint and status, in one query and without the attempts; events of another partner count nothing.
     */
    List<DeliveryCount> deliveryCounts(PartnerId partner, List<EventId> events);

    /** The event's deliveries with their attempts; empty when the event is not the partner's. */
    List<Delivery> deliveries(PartnerId partner, EventId event);
}
