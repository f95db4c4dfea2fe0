package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Attempt;
import java.time.Instant;

/** One attempt of a delivery: the answer (or why there was none) and what was sent. */
public record AttemptResponse(
        String id,
        int number,
        Instant attemptedAt,
        long durationMs,
        Integer httpStatus,
        String errorClass,
        String responseExcerpt,
        AttemptRequestView request) {
    public static AttemptResponse of(Attempt a) {
        return new AttemptResponse(
                a.id().value(),
                a.number(),
                a.attemptedAt(),
                a.durationMs(),
                a.httpStatus(),
                a.errorClass(),
                a.responseExcerpt(),
                AttemptRequestView.of(a));
    }
}
