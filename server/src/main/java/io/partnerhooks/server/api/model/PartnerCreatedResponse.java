package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.CreatePartner;
import java.time.Instant;

/** A new partner and its first API key, which only this answer shows. */
@ApiSchema("PartnerCreated")
public record PartnerCreatedResponse(String id, String name, String apiKey, Instant createdAt) {
    public static PartnerCreatedResponse of(CreatePartner.Created c) {
        return new PartnerCreatedResponse(
                c.partner().id().value(),
                c.partner().name(),
                c.apiKey(),
                c.partner().createdAt());
    }
}
