package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A channel's stored state after a report or transition, and the events it published (none for a
 * repeat). docs/openapi.yaml's FactResult documents {@code events} and admits the state's field through
 * {@code additionalProperties}.
 */
@ApiSchema("FactResult")
public record ChannelFactResponse(JsonNode channel, List<FactEventRef> events) {}
