package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.StreamConsumer;
import java.time.Instant;

/** A named server-side consumer of the stream and the cursor it last committed. */
@ApiSchema("StreamConsumer")
public record StreamConsumerResponse(String name, String cursor, Instant createdAt, Instant updatedAt) {
    public static StreamConsumerResponse of(StreamConsumer c) {
        return new StreamConsumerResponse(c.name(), c.cursor(), c.createdAt(), c.updatedAt());
    }
}
