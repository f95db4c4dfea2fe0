package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A channel's stored state after a report or transition, and the events it published (none for a
 * repeat). docs/openapi.yaml calls this FactResult and leaves the state's field to
 * {@code additionalProperties}, which the schema comparison cannot follow, so no {@link ApiSchema}.
 */
public record ChannelFactResponse(JsonNode channel, List<FactEventRef> events) {}
