package io.partnerhooks.core.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Which ordering stream an event belongs to. The most specific id in the subject wins: a channel's
 * events are ordered among themselves, a workspace's among themselves; events with neither share
 * the partner-wide stream.
 */
public final class Subjects {
    public static final String PARTNER_KEY = "partner";
    private static final List<String> ORDER =
            List.of("channel_id", "phone_number_id", "phone_number", "workspace_id", "waba_id", "client_id");

    private Subjects() {}

    /**
     * The value of an ordering key made of {@code fields}: each field present in the subject as
     * {@code field:value}, joined by {@code +} (a one-field key reads like {@link #key}'s, so a
     * stream's sequence carries on). None present: {@link #key(JsonNode)}.
     */
    public static String key(List<String> fields, JsonNode subject) {
        StringBuilder b = new StringBuilder();
        if (subject != null && subject.isObject()) {
            for (String field : fields) {
                String v = value(subject, field);
                if (v != null) {
                    b.append(b.isEmpty() ? "" : "+").append(field).append(':').append(v);
                }
            }
        }
        return b.isEmpty() ? key(subject) : b.toString();
    }

    private static String value(JsonNode subject, String field) {
        JsonNode v = subject.get(field);
        return v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty() ? v.asText() : null;
    }

    public static String key(JsonNode subject) {
        if (subject != null && subject.isObject()) {
            for (String field : ORDER) {
                JsonNode v = subject.get(field);
                if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty()) {
                    return field + ":" + v.asText();
                }
            }
        }
        return PARTNER_KEY;
    }
}
