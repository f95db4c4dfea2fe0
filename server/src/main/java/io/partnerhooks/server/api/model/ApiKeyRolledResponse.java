package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.ManageApiKeys;
import java.time.Instant;

/** The key that replaces the calling one (shown only here), and when the calling one stops working. */
@ApiSchema("rollApiKey 201")
public record ApiKeyRolledResponse(String id, String apiKey, Instant currentExpiresAt) {
    public static ApiKeyRolledResponse of(ManageApiKeys.Rolled rolled) {
        return new ApiKeyRolledResponse(
                rolled.fresh().key().id().value(), rolled.fresh().secret(), rolled.currentExpiresAt());
    }
}
