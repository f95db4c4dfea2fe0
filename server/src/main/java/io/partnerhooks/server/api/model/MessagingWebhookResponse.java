package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.partnerhooks.core.domain.Endpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A number's messaging webhook. Only the answer that sets it shows the custom header values and
 * the signing secret; elsewhere the values are masked and {@code secret} is left out.
 */
@ApiSchema("MessagingWebhook")
public record MessagingWebhookResponse(
        String channelId,
        String endpointId,
        String url,
        Map<String, String> headers,
        String format,
        String ordering,
        String statusOrder,
        String state,
        @JsonInclude(Include.NON_NULL) String secret,
        Instant createdAt,
        Instant updatedAt) {
    public static MessagingWebhookResponse of(Endpoint e, boolean withSecret) {
        Map<String, String> headers = new LinkedHashMap<>();
        e.profile().headers().forEach((k, v) -> headers.put(k, withSecret ? v : EndpointResponse.MASK));
        return new MessagingWebhookResponse(
                e.profile().channelId(),
                e.id().value(),
                e.url(),
                headers,
                e.format(),
                e.profile().ordering(),
                e.profile().statusOrder(),
                e.state(),
                withSecret ? e.secret() : null,
                e.createdAt(),
                e.updatedAt());
    }
}
