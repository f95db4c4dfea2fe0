package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;

/**
 * One immutable fact. {@code subjectJson} and {@code dataJson} are kept as the JSON text that was
 * accepted, so that what partners receive is byte-for-byte what was published.
 */
public record Event(
        EventId id,
        PartnerId partnerId,
        String type,
        String subjectJson,
        String dataJson,
        Instant createdAt,
        String idempotencyKey) {}
