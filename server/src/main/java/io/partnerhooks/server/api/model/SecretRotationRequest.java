package io.partnerhooks.server.api.model;

/** How long the old secret keeps signing beside the new one; the use case's default when left out. */
@ApiSchema("rotateEndpointSecret request")
public record SecretRotationRequest(Integer overlapHours) {}
