package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.Map;

/** A new partner with its first API key; the key is shown only in this answer. */
public record CreatedPartner(String id, String name, String apiKey, Instant createdAt) {
    static CreatedPartner from(Map<String, Object> m) {
        return new CreatedPartner(
                Json.str(m, "id"), Json.str(m, "name"), Json.str(m, "api_key"), Json.instant(m, "created_at"));
    }

    @Override
    public String toString() {
        return "CreatedPartner[id=" + id + ", name=" + name + ", apiKey=****, createdAt=" + createdAt + "]";
    }
}
