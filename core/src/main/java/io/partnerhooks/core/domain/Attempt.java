package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.AttemptId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP attempt as the partner sees it. Exactly one of {@code httpStatus} / {@code errorClass}
 * is set: a response arrived, or it did not (and why). {@code requestHeaders} are the headers that
 * were sent with signatures masked; {@code requestBody} is the body sent, cut at
 * {@link #MAX_REQUEST_BODY} bytes (null for attempts recorded before requests were kept).
 */
public record Attempt(
        AttemptId id,
        int number,
        Instant attemptedAt,
        long durationMs,
        Integer httpStatus,
        String errorClass,
        String responseExcerpt,
        Map<String, String> requestHeaders,
        String requestBody) {

    /** Bodies are kept up to 64 KiB per attempt: enough to debug, bounded for the database. */
    public static final int MAX_REQUEST_BODY = 64 * 1024;

    public Attempt {
        requestHeaders =
                requestHeaders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders));
    }

    public Attempt(
            AttemptId id,
            int number,
            Instant attemptedAt,
            long durationMs,
            Integer httpStatus,
            String errorClass,
            String responseExcerpt) {
        this(id, number, attemptedAt, durationMs, httpStatus, errorClass, responseExcerpt, Map.of(), null);
    }
}
