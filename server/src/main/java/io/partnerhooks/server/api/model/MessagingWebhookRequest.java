package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import java.util.Map;

/** A number's messaging webhook to set; what is left out keeps the webhook's value or the default. */
@ApiSchema("putChannelWebhook request")
public record MessagingWebhookRequest(
        String url, Map<String, String> headers, String verifyToken, String ordering, String statusOrder) {
    public ManageMessagingWebhook.Request request() {
        return new ManageMessagingWebhook.Request(url, headers, verifyToken, ordering, statusOrder);
    }
}
