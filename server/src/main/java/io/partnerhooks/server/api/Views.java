package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.server.api.model.EndpointResponse;

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
}
