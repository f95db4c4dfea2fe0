package io.partnerhooks.core.testing;

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
import io.partnerhooks.core.port.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The event log: appends are all or nothing, an idempotency key (per partner) answers the first
 * event's id and writes nothing, each (partner, subject key) numbers its events from 1. The list
 * reads the API uses are not faked.
 */
public final class InMemoryEvents implements EventStore {
    private final InMemoryStore store;

    InMemoryEvents(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public Appended append(Event event, List<NewDelivery> deliveries) {
        Stored s = appendAll(List.of(new Append(event, deliveries))).get(0);
        return new Appended(s.id(), s.created());
    }

    @Override
    public List<Stored> appendAll(List<Append> items) {
        synchronized (store) {
            // first everything the database would refuse, so that a refused batch writes nothing
            Set<DeliveryId> fresh = new HashSet<>();
            Set<EventId> freshEvents = new HashSet<>();
            for (Append a : items) {
                store.checkNew(a.event(), a.deliveries(), fresh);
                if (!freshEvents.add(a.event().id())) {
                    throw new IllegalStateException(
                            "duplicate event id " + a.event().id());
                }
            }
            List<Stored> out = new ArrayList<>(items.size());
            for (Append a : items) {
                Event e = a.event();
                if (e.idempotencyKey() != null) {
                    EventId earlier =
                            store.idempotencyKeys.get(InMemoryStore.partnerKey(e.partnerId(), e.idempotencyKey()));
                    if (earlier != null) {
                        out.add(new Stored(earlier, false, 0));
                        continue;
                    }
                }
                long seq = store.insert(e, a.deliveries());
                out.add(new Stored(e.id(), true, seq, store.supersede(e, seq, a.deliveries())));
            }
            return out;
        }
    }

    @Override
    public Optional<Event> find(PartnerId partner, EventId id) {
        synchronized (store) {
            return Optional.ofNullable(store.events.get(id))
                    .filter(e -> e.partnerId().equals(partner));
        }
    }

    @Override
    public Page<Event> list(PartnerId partner, EventFilter filter, int limit, String afterCursor) {
        throw InMemoryStore.notFaked("EventStore.list");
    }

    @Override
    public Page<Event> listNewer(PartnerId partner, EventFilter filter, int limit, String beforeCursor) {
        throw InMemoryStore.notFaked("EventStore.listNewer");
    }

    @Override
    public Optional<Delivery> delivery(PartnerId partner, DeliveryId id) {
        synchronized (store) {
            InMemoryStore.Row r = store.rows.get(id);
            return r == null || !r.partnerId.equals(partner) ? Optional.empty() : Optional.of(store.delivery(r));
        }
    }

    @Override
    public List<AttemptSample> attemptsSince(PartnerId partner, EndpointId endpoint, Instant since, int max) {
        throw InMemoryStore.notFaked("EventStore.attemptsSince");
    }

    @Override
    public Page<Delivery> endpointDeliveries(
            PartnerId partner, EndpointId endpoint, DeliveryStatus status, int limit, String afterCursor) {
        throw InMemoryStore.notFaked("EventStore.endpointDeliveries");
    }

    @Override
    public List<DeliveryCount> deliveryCounts(PartnerId partner, List<EventId> events) {
        throw InMemoryStore.notFaked("EventStore.deliveryCounts");
    }

    @Override
    public List<Delivery> deliveries(PartnerId partner, EventId event) {
        synchronized (store) {
            Event e = store.events.get(event);
            if (e == null || !e.partnerId().equals(partner)) {
                return List.of();
            }
            return store.deliveriesOf(event);
        }
    }
}
