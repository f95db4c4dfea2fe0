package io.partnerhooks.core.domain;

import java.time.Instant;

/** A named consumer of a partner's pull stream: its committed place, as the cursor text it was committed with. */
public record StreamConsumer(String name, String cursor, Instant createdAt, Instant updatedAt) {}
