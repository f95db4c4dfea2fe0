package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.SubjectFilter;
import java.util.List;
import java.util.Map;

/**
 * The body that creates an endpoint or changes one. A field left out is null here (on a change:
 * keep the value); {@code rate_limit_per_second} and {@code filter} also take an explicit null,
 * meaning no limit and every subject. What is required and what is allowed is decided by the use
 * case, which reports every mistake at once.
 */
@ApiSchema({"EndpointCreate", "EndpointPatch"})
public record EndpointRequest(
        String url,
        List<String> eventTypes,
        String description,
        Boolean enabled,
        Integer maxInFlight,
        Explicit<Integer> rateLimitPerSecond,
        String format,
        Map<String, String> headers,
        Boolean collapse,
        String ordering,
        SubjectFilter filter,
        Boolean traceContext) {}
