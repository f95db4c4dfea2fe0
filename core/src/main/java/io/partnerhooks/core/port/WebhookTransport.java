package io.partnerhooks.core.port;

import io.partnerhooks.core.model.DeliveryOutcome;
import java.net.URI;
import java.util.Map;

/**
 * Sends one POST and reports what happened. Implementations vet every resolved address, never
 * follow redirects, and read at most a few KiB of the answer. Called on a virtual thread; blocking
 * is fine. Never throws: every failure is an outcome.
 */
public interface WebhookTransport extends AutoCloseable {
    record OutgoingRequest(URI url, Map<String, String> headers, byte[] body) {}

    DeliveryOutcome send(OutgoingRequest request);

    @Override
    default void close() {}
}
