package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.Map;

/** Another API key for a partner; the key is shown only in this answer. */
public record CreatedApiKey(String id, String apiKey, Instant createdAt) {
    static CreatedApiKey from(Map<String, Object> m) {
        return new CreatedApiKey(Json.str(m, "id"), Json.str(m, "api_key"), Json.instant(m, "created_at"));
    }

    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", apiKey=****, createdAt=" + createdAt + "]";
    }
}
