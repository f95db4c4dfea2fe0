package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One way of writing an event on the wire. A format is pure: the same event, endpoint and instant
 * always give the same bytes. It returns empty when it has no counterpart for the event's type, and
 * the event then goes out in the standard form. The Standard Webhooks headers are added around
 * whatever it renders, signed over the body it returns.
 */
public interface PayloadFormat {
    /** The name partners put in an endpoint's {@code format} field. */
    String name();

    Optional<Rendered> render(Event event, Endpoint endpoint, Instant now);

    /** The body and the format's own headers (lower-case names), in sending order. */
    record Rendered(byte[] body, Map<String, String> headers) {
        public Rendered {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public static Rendered body(byte[] body) {
            return new Rendered(body, Map.of());
        }
    }
}
