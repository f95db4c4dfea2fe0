package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.ManageApiKeys;
import java.time.Instant;

/** A freshly issued key: the only answer that shows it. */
@ApiSchema("createApiKey 201")
public record ApiKeyCreatedResponse(String id, String apiKey, Instant createdAt) {
    public static ApiKeyCreatedResponse of(ManageApiKeys.Issued issued) {
        return new ApiKeyCreatedResponse(
                issued.key().id().value(), issued.secret(), issued.key().createdAt());
    }
}
