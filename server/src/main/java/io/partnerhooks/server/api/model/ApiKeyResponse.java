package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.ApiKey;
import java.time.Instant;

/** A partner's API key as listed: its id and first characters, never the key itself. */
@ApiSchema("ApiKey")
public record ApiKeyResponse(String id, String prefix, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {
    public static ApiKeyResponse of(ApiKey k) {
        return new ApiKeyResponse(k.id().value(), k.prefix(), k.createdAt(), k.lastUsedAt(), k.expiresAt());
    }
}
