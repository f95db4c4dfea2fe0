package io.partnerhooks.server.api.model;

@ApiSchema("recoverEndpoint 202")
public record RecoverResponse(int requeued) {}
