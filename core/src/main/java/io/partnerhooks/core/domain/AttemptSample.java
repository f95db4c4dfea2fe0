package io.partnerhooks.core.domain;

import java.time.Instant;

/** One attempt as statistics and the dashboard's charts see it ({@code attemptedAt} may be null). */
public record AttemptSample(long durationMs, boolean success, String failureClass, Instant attemptedAt) {
    public AttemptSample(long durationMs, boolean success, String failureClass) {
        this(durationMs, success, failureClass, null);
    }
}
