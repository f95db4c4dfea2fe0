package io.partnerhooks.server.api.model;

import java.time.Instant;
import java.util.List;

/**
 * Which of an endpoint's past events to send again: the window, the types (narrowing its
 * subscription) and {@code which} (failed, missing or all). What is required is the use case's to say.
 */
@ApiSchema("replayEndpoint request")
public record ReplayRequest(Instant since, Instant until, List<String> eventTypes, String which) {}
