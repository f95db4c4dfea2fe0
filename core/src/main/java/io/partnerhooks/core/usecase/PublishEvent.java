package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.FreshDeliveries;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.port.Tracing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a fact into an event and one delivery per enabled endpoint that subscribes to its type,
 * all in one transaction; returns only after the commit, then wakes the dispatcher.
 */
public final class PublishEvent {
    public static final int MAX_IDEMPOTENCY_KEY = 200;

    /**
     * A validated publish request; subject and data are JSON object text. {@code subjectKey} null:
     * the catalog's ordering key for the type, read from the subject.
     */
    public record Request(
            String type,
            String partnerId,
            String subjectJson,
            String dataJson,
            String idempotencyKey,
            String subjectKey) {}

    /** {@code superseded}: older pending deliveries this event made moot (collapse). */
    public record Published(EventId id, boolean created, int superseded) {
        public Published(EventId id, boolean created) {
            this(id, created, 0);
        }
    }

    private final PartnerStore partners;
    private final EndpointStore endpoints;
    private final EventStore events;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable onPublished;
    private final EventCatalog catalog;
    private final FreshDeliveries fresh;
    private Tracing tracing = Tracing.NONE;

    public PublishEvent(
            PartnerStore partners,
            EndpointStore endpoints,
            EventStore events,
            IdGenerator ids,
            Clock clock,
            Runnable onPublished,
            EventCatalog catalog) {
        this(partners, endpoints, events, ids, clock, onPublished, catalog, FreshDeliveries.NONE);
    }

    /** With {@code fresh}, deliveries with a free slot on this node are sent right after the commit. */
    public PublishEvent(
            PartnerStore partners,
            EndpointStore endpoints,
            EventStore events,
            IdGenerator ids,
            Clock clock,
            Runnable onPublished,
            EventCatalog catalog,
            FreshDeliveries fresh) {
        this.fresh = fresh;
        this.catalog = catalog;
        this.partners = partners;
        this.endpoints = endpoints;
        this.events = events;
        this.ids = ids;
        this.clock = clock;
        this.onPublished = onPublished;
    }

    /** Keeps the current (publish) span's context with each event, so its attempts link back (ADR 15). */
    public PublishEvent tracing(Tracing t) {
        this.tracing = t;
        return this;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("data", "is not valid JSON");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public Published publish(Request r) {
        return publishAll(List.of(r), "").get(0);
    }

    /** Most events one batch publish may carry. */
    public static final int MAX_BATCH = 500;

    /**
     * Publishes several events at once: every one is validated first (errors name
     * {@code events[i].field}), then all are written in one transaction or none is; results in
     * request order. An idempotency key repeated in the batch answers the first event's id.
     */
    public List<Published> publishBatch(List<Request> requests) {
        if (requests.isEmpty()) {
            throw new InvalidInputException("events", "must hold at least one event");
        }
        if (requests.size() > MAX_BATCH) {
            throw new InvalidInputException("events", "holds " + requests.size() + " events; at most " + MAX_BATCH);
        }
        return publishAll(requests, "events[");
    }

    private List<Published> publishAll(List<Request> requests, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Boolean> knownPartners = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            String at = prefix.isEmpty() ? "" : prefix + i + "].";
            for (FieldError e : validate(requests.get(i), knownPartners)) {
                errors.add(new FieldError(at + e.field(), e.detail()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Emitter emitter = new Emitter(ids);
        Map<PartnerId, List<Endpoint>> subscribers = new HashMap<>();
        List<EventStore.Append> appends = new ArrayList<>(requests.size());
        List<FreshDeliveries.Reservation> reservations = new ArrayList<>(requests.size());
        Instant now = Times.millis(clock.instant());
        String traceContext = tracing.enabled() ? tracing.currentContext() : null;
        try {
            for (Request r : requests) {
                PartnerId partner = new PartnerId(r.partnerId());
                List<Endpoint> eps = subscribers.computeIfAbsent(partner, endpoints::listEnabled);
                String key = r.subjectKey() != null
                        ? r.subjectKey()
                        : catalog.orderingKey(r.type(), r.subjectJson() == null ? null : parse(r.subjectJson()));
                Emitter.Emitted emitted = emitter.emit(
                        partner,
                        r.type(),
                        r.subjectJson(),
                        key,
                        r.dataJson(),
                        now,
                        r.idempotencyKey(),
                        eps,
                        catalog.collapsible(r.type()));
                FreshDeliveries.Reservation res =
                        fresh.reserve(emitted.deliveries(), endpointsOf(emitted.deliveries(), eps));
                reservations.add(res);
                Event event =
                        traceContext == null ? emitted.event() : emitted.event().withTraceContext(traceContext);
                appends.add(new EventStore.Append(event, res.deliveries()));
            }
        } catch (RuntimeException e) {
            reservations.forEach(FreshDeliveries.Reservation::cancel);
            throw e;
        }
        List<EventStore.Stored> stored;
        try {
            stored = events.appendAll(appends);
        } catch (RuntimeException e) {
            reservations.forEach(FreshDeliveries.Reservation::cancel);
            throw e;
        }
        List<Published> out = new ArrayList<>(stored.size());
        boolean queued = false;
        for (int i = 0; i < stored.size(); i++) {
            EventStore.Stored st = stored.get(i);
            FreshDeliveries.Reservation res = reservations.get(i);
            if (st.created()) {
                res.start(appends.get(i).event().withSequence(st.sequence()));
                for (NewDelivery d : res.deliveries()) {
                    queued |= d.leaseToken() == null;
                }
            } else {
                res.cancel();
            }
            out.add(new Published(st.id(), st.created(), st.superseded()));
        }
        if (queued) {
            // some rows got no slot on this node: they wait in the queue, so look at it now
            onPublished.run();
        }
        return out;
    }

    /** The endpoint of each delivery, in the deliveries' order. */
    private static List<Endpoint> endpointsOf(List<NewDelivery> deliveries, List<Endpoint> subscribers) {
        Map<EndpointId, Endpoint> byId = new HashMap<>();
        for (Endpoint e : subscribers) {
            byId.put(e.id(), e);
        }
        List<Endpoint> out = new ArrayList<>(deliveries.size());
        for (NewDelivery d : deliveries) {
            out.add(byId.get(d.endpointId()));
        }
        return out;
    }

    private List<FieldError> validate(Request r, Map<String, Boolean> knownPartners) {
        List<FieldError> errors = new ArrayList<>();
        if (r.type() == null) {
            errors.add(new FieldError("type", "is required"));
        } else {
            EventTypeFilter.checkType(r.type()).ifPresent(why -> errors.add(new FieldError("type", why)));
            if (errors.isEmpty() && catalog.find(r.type()).isEmpty()) {
                errors.add(new FieldError("type", "is not in the event catalog (GET /v1/event-types lists them)"));
            }
            if (errors.isEmpty()) {
                for (var v : catalog.validate(r.type(), parse(r.dataJson()))) {
                    errors.add(new FieldError(v.path(), v.message()));
                }
            }
        }
        if (r.idempotencyKey() != null
                && (r.idempotencyKey().isEmpty() || r.idempotencyKey().length() > MAX_IDEMPOTENCY_KEY)) {
            errors.add(new FieldError("idempotency_key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters"));
        }
        if (r.partnerId() == null) {
            errors.add(new FieldError("partner_id", "is required"));
        } else if (!Ids.looksLike(r.partnerId(), Ids.PARTNER)) {
            errors.add(new FieldError("partner_id", "is not a partner id (ptn_...)"));
        } else if (!knownPartners.computeIfAbsent(
                r.partnerId(), id -> partners.find(new PartnerId(id)).isPresent())) {
            errors.add(new FieldError("partner_id", "no such partner"));
        }
        return errors;
    }
}
