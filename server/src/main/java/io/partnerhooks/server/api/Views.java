package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.delivery.AttemptMaker;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.server.api.model.EndpointResponse;
import java.util.Locale;

/** The JSON shapes of our resources: snake_case, RFC 3339 UTC times. */
final class Views {
    private Views() {}

    /** What a masked secret-like value shows. */
    public static final String MASK = EndpointResponse.MASK;

    /** A subject filter as the API shows it: null when there is none, else its three lists. */
    static JsonNode filter(SubjectFilter f) {
        if (f.isEmpty()) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        for (String field : SubjectFilter.FIELDS) {
            ArrayNode a = n.putArray(field);
            f.values(field).forEach(a::add);
        }
        return n;
    }

    static ObjectNode replay(Replay r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", r.id().value());
        n.put("endpoint_id", r.endpointId().value());
        n.put("which", r.which().wire());
        n.put("since", Times.format(r.since()));
        n.put("until", Times.format(r.until()));
        if (r.eventTypes() == null) {
            n.putNull("event_types");
        } else {
            ArrayNode types = n.putArray("event_types");
            r.eventTypes().forEach(types::add);
        }
        n.put("state", r.state().wire());
        n.put("matched", r.matched());
        n.put("queued", r.queued());
        n.put("delivered", r.delivered());
        n.put("failed", r.failed());
        n.put("pending", r.pending());
        n.put("created_at", Times.format(r.createdAt()));
        n.put("started_at", Times.format(r.startedAt()));
        n.put("completed_at", Times.format(r.completedAt()));
        return n;
    }

    static ObjectNode delivery(Delivery d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", d.id().value());
        n.put("event_id", d.eventId().value());
        n.put("endpoint_id", d.endpointId().value());
        n.put("status", d.status().wire());
        n.put("attempt_count", d.attemptCount());
        n.put("next_attempt_at", d.status() == DeliveryStatus.PENDING ? Times.format(d.nextAttemptAt()) : null);
        // ordered endpoints: the delivery at the head of this one's ordering key, which goes first
        n.put("held_by", d.heldBy() == null ? null : d.heldBy().value());
        n.put("superseded_by", d.supersededBy());
        n.put("created_at", Times.format(d.createdAt()));
        ArrayNode attempts = n.putArray("attempts");
        for (Attempt a : d.attempts()) {
            ObjectNode an = attempts.addObject();
            an.put("id", a.id().value());
            an.put("number", a.number());
            an.put("attempted_at", Times.format(a.attemptedAt()));
            an.put("duration_ms", a.durationMs());
            if (a.httpStatus() == null) {
                an.putNull("http_status");
            } else {
                an.put("http_status", a.httpStatus());
            }
            an.put("error_class", a.errorClass());
            an.put("response_excerpt", a.responseExcerpt());
            ObjectNode request = an.putObject("request");
            ObjectNode headers = request.putObject("headers");
            // Masked when stored; masked again here so rows written before signatures were masked never show one.
            a.requestHeaders()
                    .forEach((k, v) -> headers.put(
                            k,
                            AttemptMaker.SIGNATURE_HEADERS.contains(k.toLowerCase(Locale.ROOT))
                                    ? AttemptMaker.maskSignature(v)
                                    : v));
            request.put("body", a.requestBody());
        }
        return n;
    }
}
