package io.partnerhooks.server.api.model;

import java.time.Instant;

/** From when failed deliveries are queued again (the use case says when it is missing). */
@ApiSchema("recoverEndpoint request")
public record RecoverRequest(Instant since) {}
