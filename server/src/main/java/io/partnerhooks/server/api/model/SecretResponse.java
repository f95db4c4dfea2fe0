package io.partnerhooks.server.api.model;

@ApiSchema("getEndpointSecret 200")
public record SecretResponse(String secret) {}
