package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event to publish, alone or as an item of a batch. Subject and data are null when left out
 * (or null), which means {@code {}}; whether the type is in the catalog and data matches its schema
 * is the use case's to say.
 */
@ApiSchema("EventPublish")
public record EventPublishRequest(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) String partnerId,
        ObjectNode subject,
        ObjectNode data,
        String idempotencyKey) {}
