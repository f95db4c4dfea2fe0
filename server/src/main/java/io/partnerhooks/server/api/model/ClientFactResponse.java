package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A client's stored state after a report, and the events it published (none for a repeat).
 * docs/openapi.yaml calls this FactResult and leaves the state's field to
 * {@code additionalProperties}, which the schema comparison cannot follow, so no {@link ApiSchema}.
 */
public record ClientFactResponse(JsonNode client, List<FactEventRef> events) {}
