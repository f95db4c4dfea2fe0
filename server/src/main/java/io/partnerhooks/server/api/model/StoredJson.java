package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON we stored ourselves (an event's subject and data, an event type's schema), read back to be
 * answered as part of a record. It was checked when it came in, so unreadable JSON here is our bug.
 */
public final class StoredJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StoredJson() {}

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
