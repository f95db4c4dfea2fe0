package io.partnerhooks.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Pulls the filterable ids (workspace, channel, phone number) out of an event's subject JSON. */
final class SubjectIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SubjectIds() {}

    /** {workspace_id, channel_id, phone_number}, each null when absent or not a string/number. */
    static String[] of(String subjectJson) {
        String[] out = new String[3];
        try {
            JsonNode n = JSON.readTree(subjectJson);
            out[0] = text(n.get("workspace_id"));
            out[1] = text(n.get("channel_id"));
            out[2] = text(n.get("phone_number"));
        } catch (IOException e) {
            // the API only stores objects it parsed; an unreadable subject simply has no filterable ids
        }
        return out;
    }

    private static String text(JsonNode v) {
        return v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty() ? v.asText() : null;
    }
}
