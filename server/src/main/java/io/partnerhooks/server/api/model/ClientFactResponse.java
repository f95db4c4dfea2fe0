package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A client's stored state after a report, and the events it published (none for a repeat).
 * docs/openapi.yaml's FactResult documents {@code events} and admits the state's field through
 * {@code additionalProperties}.
 */
@ApiSchema("FactResult")
public record ClientFactResponse(JsonNode client, List<FactEventRef> events) {}
