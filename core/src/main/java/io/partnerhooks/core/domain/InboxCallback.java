package io.partnerhooks.core.domain;

import java.time.Instant;
import java.util.Locale;

/** One of Meta's callbacks as stored, and what came of it. */
public record InboxCallback(
        String id,
        Instant receivedAt,
        String body,
        Status status,
        int changes,
        int relayed,
        int duplicates,
        int unroutable) {
    /** Routed: everything found a channel or partner; partial: some did not; unroutable: nothing did; invalid: not a callback. */
    public enum Status {
        ROUTED,
        PARTIAL,
        UNROUTABLE,
        INVALID;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
