package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.SubjectFilter;
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
}
