package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Endpoint;

/** A number's messaging webhook as its channel shows it: where it goes, and as what. */
public record MessagingWebhookRef(String url, String endpointId, String format) {
    public static MessagingWebhookRef of(Endpoint e) {
        return new MessagingWebhookRef(e.url(), e.id().value(), e.format());
    }
}
