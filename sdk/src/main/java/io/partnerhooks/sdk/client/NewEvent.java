package io.partnerhooks.sdk.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event to publish: a catalog type (GET /v1/event-types), the partner it is for, and data that
 * matches the type's schema. The subject names the ids the event is about (it picks the ordering
 * stream); an idempotency key makes a repeat answer the first event's id instead of a new event.
 *
 * <pre>{@code
 * NewEvent e = NewEvent.of("workspace.seats.exhausted", partnerId, Map.of("workspace_id", "ws_1", ...))
 *         .withSubject(Map.of("workspace_id", "ws_1"))
 *         .withIdempotencyKey("seats-ws_1-2026-11");
 * }</pre>
 */
public record NewEvent(
        String type, String partnerId, Map<String, Object> subject, Map<String, Object> data, String idempotencyKey) {
    public NewEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(partnerId, "partnerId");
        subject = subject == null ? null : copy(subject);
        data = data == null ? null : copy(data);
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    public static NewEvent of(String type, String partnerId, Map<String, Object> data) {
        return new NewEvent(type, partnerId, null, data, null);
    }

    public NewEvent withSubject(Map<String, Object> subject) {
        return new NewEvent(type, partnerId, subject, data, idempotencyKey);
    }

    public NewEvent withIdempotencyKey(String key) {
        return new NewEvent(type, partnerId, subject, data, key);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("partner_id", partnerId);
        if (subject != null) {
            m.put("subject", subject);
        }
        if (data != null) {
            m.put("data", data);
        }
        if (idempotencyKey != null) {
            m.put("idempotency_key", idempotencyKey);
        }
        return m;
    }
}
