package io.partnerhooks.sdk.client;

import java.util.Map;

/**
 * The answer to a publish: the event's id, and whether this call created it ({@code false} when an
 * earlier event with the same idempotency key was answered instead).
 */
public record PublishedEvent(String id, boolean created) {
    static PublishedEvent from(Map<String, Object> m) {
        return new PublishedEvent(Json.str(m, "id"), Json.bool(m, "created"));
    }
}
