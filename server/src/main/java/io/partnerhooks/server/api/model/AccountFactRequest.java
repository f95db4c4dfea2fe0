package io.partnerhooks.server.api.model;

/** What the platform may say about a WhatsApp account it reports connected or disconnected; all optional. */
@ApiSchema("AccountFact")
public record AccountFactRequest(String phoneNumber, String userId, String reason) {}
