package io.partnerhooks.server.api.model;

/** How long the calling key keeps working after a roll; the use case's default when left out. */
@ApiSchema("rollApiKey request")
public record ApiKeyRollRequest(Long expireCurrentInSeconds) {}
