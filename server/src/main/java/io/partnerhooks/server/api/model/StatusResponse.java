package io.partnerhooks.server.api.model;

/** What {@code /healthz} and {@code /readyz} answer: ok, ready, shutting down or database unreachable. */
@ApiSchema("Status")
public record StatusResponse(String status) {}
