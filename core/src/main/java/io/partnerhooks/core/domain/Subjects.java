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
