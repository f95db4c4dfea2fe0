package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Makes an event and one delivery per subscribed endpoint: the fan-out every source shares. */
final class Emitter {
    /** The event and its deliveries, ready to be written in the caller's transaction. */
    record Emitted(Event event, List<NewDelivery> deliveries) {}

    private final IdGenerator ids;

    Emitter(IdGenerator ids) {
        this.ids = ids;
    }

    Emitted emit(
            PartnerId partner,
            String type,
            String subjectJson,
            String subjectKey,
            String dataJson,
            Instant at,
            String idempotencyKey,
            List<Endpoint> subscribers) {
        return emit(partner, type, subjectJson, subjectKey, dataJson, at, idempotencyKey, subscribers, false);
    }

    /** {@code collapsible}: the type is a state; deliveries to endpoints with collapse on supersede older ones. */
    Emitted emit(
            PartnerId partner,
            String type,
            String subjectJson,
            String subjectKey,
            String dataJson,
            Instant at,
            String idempotencyKey,
            List<Endpoint> subscribers,
            boolean collapsible) {
        Event e = new Event(
                new EventId(ids.next(Ids.EVENT)),
                partner,
                type,
                subjectJson,
                dataJson,
                at,
                idempotencyKey,
                subjectKey,
                0);
        List<NewDelivery> deliveries = new ArrayList<>();
        JsonNode subject = null;
        for (Endpoint ep : subscribers) {
            if (!ep.filter().isEmpty() && subject == null) {
                subject = parse(subjectJson);
            }
            // a subject filter narrows at fan-out: a non-matching event gets no delivery row (ADR 14)
            if (ep.accepts(type) && ep.filter().matches(subject)) {
                NewDelivery d = new NewDelivery(new DeliveryId(ids.next(Ids.DELIVERY)), ep.id());
                if (collapsible && ep.profile().collapse()) {
                    d = d.superseding();
                }
                deliveries.add(ep.profile().ordered() ? d.orderedBy(subjectKey) : d);
            }
        }
        return new Emitted(e, deliveries);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The subject as a tree; a missing or unreadable one has no ids (so a filtered endpoint skips it). */
    private static JsonNode parse(String subjectJson) {
        if (subjectJson == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(subjectJson);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
