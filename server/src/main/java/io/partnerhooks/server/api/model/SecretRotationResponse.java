package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Endpoint;
import java.time.Instant;

@ApiSchema("rotateEndpointSecret 200")
public record SecretRotationResponse(String id, String secret, Instant previousSecretExpiresAt) {
    public static SecretRotationResponse of(Endpoint e) {
        return new SecretRotationResponse(e.id().value(), e.secret(), e.previousSecretExpiresAt());
    }
}
