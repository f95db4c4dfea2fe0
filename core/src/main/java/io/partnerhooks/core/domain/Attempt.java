package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.AttemptId;
import java.time.Instant;

/**
 * One HTTP attempt as the partner sees it. Exactly one of {@code httpStatus} / {@code errorClass}
 * is set: a response arrived, or it did not (and why).
 */
public record Attempt(
        AttemptId id,
        int number,
        Instant attemptedAt,
        long durationMs,
        Integer httpStatus,
        String errorClass,
        String responseExcerpt) {}
