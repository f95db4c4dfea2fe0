package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryCount;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import java.util.List;
import java.util.Optional;

/** A partner's event log as the API and the dashboard read it: pages of events, one event with its deliveries. */
public final class ReadEvents {
    /** An event and its deliveries, each with its attempts. */
    public record WithDeliveries(Event event, List<Delivery> deliveries) {}

    private final EventStore events;

    public ReadEvents(EventStore events) {
        this.events = events;
    }

    /** Newest first; {@code after} is the previous page's next cursor, or null. */
    public Page<Event> list(PartnerId partner, EventFilter filter, int limit, String after) {
        return events.list(partner, filter, limit, after);
    }

    /** The page just newer than {@code before} (an event id), still newest first. */
    public Page<Event> listNewer(PartnerId partner, EventFilter filter, int limit, String before) {
        return events.listNewer(partner, filter, limit, before);
    }

    public Optional<Event> find(PartnerId partner, EventId id) {
        return events.find(partner, id);
    }

    /** The partner's event; another partner's is "not found" like one that does not exist. */
    public Event get(PartnerId partner, EventId id) {
        return events.find(partner, id).orElseThrow(() -> notFound(id));
    }

    public WithDeliveries withDeliveries(PartnerId partner, EventId id) {
        Event e = get(partner, id);
        return new WithDeliveries(e, events.deliveries(partner, id));
    }

    /** For a page of the log: how many deliveries each event has per endpoint and status, in one read. */
    public List<DeliveryCount> deliveryCounts(PartnerId partner, List<EventId> ids) {
        return events.deliveryCounts(partner, ids);
    }

    private static NotFoundException notFound(EventId id) {
        return new NotFoundException("id", "no event " + id);
    }
}
