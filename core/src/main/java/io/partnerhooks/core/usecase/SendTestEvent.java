package io.partnerhooks.core.usecase;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EventStore;
import java.time.Clock;
import java.util.List;

/**
 * Sends a catalog type's example to one endpoint, marked as a test. The event is stored and
 * delivered like any other (so it shows in the log with its attempts and retries), but it goes to
 * this endpoint only, whether or not the endpoint subscribes to the type, carries
 * {@code "test": true} in its envelope and a {@code webhook-test: true} header, and is numbered in
 * a stream of its own so that it never takes a sequence number from a real subject.
 */
public final class SendTestEvent {
    /** The ordering stream test events share; real subject keys always contain a colon or are "partner". */
    public static final String SUBJECT_KEY = "test";

    public record Sent(EventId eventId, DeliveryId deliveryId, String type) {}

    private final EndpointStore endpoints;
    private final EventStore events;
    private final EventCatalog catalog;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable onPublished;

    public SendTestEvent(
            EndpointStore endpoints,
            EventStore events,
            EventCatalog catalog,
            IdGenerator ids,
            Clock clock,
            Runnable onPublished) {
        this.endpoints = endpoints;
        this.events = events;
        this.catalog = catalog;
        this.ids = ids;
        this.clock = clock;
        this.onPublished = onPublished;
    }

    /** {@code type} null: the first catalog type the endpoint subscribes to (or the catalog's first). */
    public Sent send(PartnerId partner, EndpointId endpointId, String type) {
        Endpoint ep = endpoints
                .find(partner, endpointId)
                .orElseThrow(() -> new NotFoundException("id", "no endpoint " + endpointId.value()));
        EventCatalog.EventType t;
        if (type == null) {
            t = catalog.types().stream()
                    .filter(x -> ep.accepts(x.type()))
                    .findFirst()
                    .orElse(catalog.types().get(0));
        } else {
            t = catalog.find(type)
                    .orElseThrow(() -> new InvalidInputException(
                            "type", "is not in the event catalog (GET /v1/event-types lists them)"));
        }
        Event e = new Event(
                new EventId(ids.next(Ids.EVENT)),
                partner,
                t.type(),
                "{}",
                t.exampleJson(),
                Times.millis(clock.instant()),
                null,
                SUBJECT_KEY,
                0,
                true);
        DeliveryId d = new DeliveryId(ids.next(Ids.DELIVERY));
        events.append(e, List.of(new EventStore.NewDelivery(d, ep.id())));
        onPublished.run();
        return new Sent(e.id(), d, t.type());
    }
}
