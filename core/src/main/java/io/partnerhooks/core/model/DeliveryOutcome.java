package io.partnerhooks.core.model;

import java.time.Duration;
import java.util.Optional;

/** What came of one HTTP attempt. Every consumer switches over all cases. */
public sealed interface DeliveryOutcome {
    /** A 2xx answer within the timeout. */
    record Delivered(int status, String responseExcerpt) implements DeliveryOutcome {}

    /** Any other answer, 3xx included (redirects are never followed). */
    record Rejected(int status, String responseExcerpt, Optional<Duration> retryAfter) implements DeliveryOutcome {}

    /** No answer: refused, reset, closed, TLS or DNS failure. {@code errorClass} is a stable short name. */
    record TransportError(String errorClass, String message) implements DeliveryOutcome {}

    /** The address guard refused every address the host resolved to; no request was made. */
    record Blocked(String reason) implements DeliveryOutcome {}

    /** Connect or total timeout. */
    record TimedOut(String message) implements DeliveryOutcome {}

    default boolean succeeded() {
        return this instanceof Delivered;
    }

    default Integer httpStatus() {
        return switch (this) {
            case Delivered d -> d.status();
            case Rejected r -> r.status();
            case TransportError t -> null;
            case Blocked b -> null;
            case TimedOut t -> null;
        };
    }

    default String errorClass() {
        return switch (this) {
            case Delivered d -> null;
            case Rejected r -> null;
            case TransportError t -> t.errorClass();
            case Blocked b -> "blocked";
            case TimedOut t -> "timeout";
        };
    }

    /** What the partner sees as the response excerpt (or the reason there was none). */
    default String excerpt() {
        return switch (this) {
            case Delivered d -> d.responseExcerpt();
            case Rejected r -> r.responseExcerpt();
            case TransportError t -> t.message();
            case Blocked b -> b.reason();
            case TimedOut t -> t.message();
        };
    }
}
