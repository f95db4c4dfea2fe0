package io.partnerhooks.core.port;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;

/**
 * Traces, without naming a tracing library (ADR 15): the server implements this with
 * OpenTelemetry when an OTLP endpoint is configured, and {@link #NONE} costs a field read
 * otherwise. Contexts cross this port as W3C text: a {@code traceparent}, then (when there is
 * one) a newline and the {@code tracestate}.
 */
public interface Tracing {
    /** Tracing off: no spans, no contexts, nothing kept. */
    Tracing NONE = new Tracing() {};

    /** Whether spans are made at all; false for {@link #NONE}. */
    default boolean enabled() {
        return false;
    }

    /** The context of the span current on this thread (a publish), to keep with the event; null if none. */
    default String currentContext() {
        return null;
    }

    /**
     * Starts the span of one delivery attempt, linked to the publish span kept with the event
     * ({@code c.event().traceContext()}), not parented by it: a retry may come hours later.
     */
    default AttemptSpan startAttempt(Claimed c, int attemptNumber) {
        return AttemptSpan.NONE;
    }

    /** One attempt's span, ended once with what came of it. */
    interface AttemptSpan {
        AttemptSpan NONE = new AttemptSpan() {};

        /** This span's {@code traceparent} header value, for an endpoint that asks for it; null if none. */
        default String traceparent() {
            return null;
        }

        default void end(DeliveryOutcome outcome, long durationMs) {}
    }
}
