package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.PartnerStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a fact into an event and one delivery per enabled endpoint that subscribes to its type,
 * all in one transaction; returns only after the commit, then wakes the dispatcher.
 */
public final class PublishEvent {
    public static final int MAX_IDEMPOTENCY_KEY = 200;

    /** A validated publish request; subject and data are JSON object text. */
    public record Request(String type, String partnerId, String subjectJson, String dataJson, String idempotencyKey,
            String subjectKey) {}

    public record Published(EventId id, boolean created) {}

    private final PartnerStore partners;
    private final EndpointStore endpoints;
    private final EventStore events;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable onPublished;
    private final io.partnerhooks.core.catalog.EventCatalog catalog;

    public PublishEvent(PartnerStore partners, EndpointStore endpoints, EventStore events, IdGenerator ids, Clock clock,
            Runnable onPublished, io.partnerhooks.core.catalog.EventCatalog catalog) {
        this.catalog = catalog;
        this.partners = partners;
        this.endpoints = endpoints;
        this.events = events;
        this.ids = ids;
        this.clock = clock;
        this.onPublished = onPublished;
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("data", "is not valid JSON");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public Published publish(Request r) {
        List<FieldError> errors = new ArrayList<>();
        EventTypeFilter.checkType(r.type()).ifPresent(why -> errors.add(new FieldError("type", why)));
        if (errors.isEmpty() && catalog.find(r.type()).isEmpty()) {
            errors.add(new FieldError("type", "is not in the event catalog (GET /v1/event-types lists them)"));
        }
        if (errors.isEmpty()) {
            for (var v : catalog.validate(r.type(), parse(r.dataJson()))) {
                errors.add(new FieldError(v.path(), v.message()));
            }
        }
        if (r.idempotencyKey() != null && (r.idempotencyKey().isEmpty() || r.idempotencyKey().length() > MAX_IDEMPOTENCY_KEY)) {
            errors.add(new FieldError("idempotency_key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters"));
        }
        PartnerId partner = null;
        if (r.partnerId() == null) {
            errors.add(new FieldError("partner_id", "is required"));
        } else if (!Ids.looksLike(r.partnerId(), Ids.PARTNER)) {
            errors.add(new FieldError("partner_id", "is not a partner id (ptn_...)"));
        } else {
            partner = new PartnerId(r.partnerId());
            if (partners.find(partner).isEmpty()) {
                errors.add(new FieldError("partner_id", "no such partner"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Emitter.Emitted emitted = new Emitter(ids).emit(partner, r.type(), r.subjectJson(), r.subjectKey(), r.dataJson(),
                Times.millis(clock.instant()), r.idempotencyKey(), endpoints.listEnabled(partner));
        List<NewDelivery> deliveries = emitted.deliveries();
        EventStore.Appended a = events.append(emitted.event(), deliveries);
        if (a.created() && !deliveries.isEmpty()) {
            onPublished.run();
        }
        return new Published(a.id(), a.created());
    }
}
