package io.partnerhooks.server.api.model;

/** Issuing a key takes no fields: the body is empty or {@code {}}. */
@ApiSchema("createApiKey request")
public record ApiKeyCreateRequest() {}
