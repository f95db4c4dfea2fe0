package io.partnerhooks.core.delivery.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON plumbing the provider formats share: read an event's data, write a body, copy fields. */
final class FormatJson {
    // Exact decimals both ways, so a relayed 87.5 or 0.1 leaves as it arrived.
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private FormatJson() {}

    /** The event's data as an object (an empty one if the stored text is not an object). */
    static ObjectNode data(String dataJson) {
        try {
            JsonNode n = MAPPER.readTree(dataJson);
            return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON", e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code from.src} to {@code to.dst} when present (null values included). */
    static void copy(ObjectNode from, String src, ObjectNode to, String dst) {
        JsonNode v = from.get(src);
        if (v != null) {
            to.set(dst, v);
        }
    }

    static String text(ObjectNode from, String field) {
        JsonNode v = from.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
