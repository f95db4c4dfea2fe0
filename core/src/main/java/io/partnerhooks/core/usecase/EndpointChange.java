package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.SubjectFilter;
import java.util.List;
import java.util.Map;

/**
 * The fields a partner sets on an endpoint. On create, null means "use the default"; on update,
 * null means "leave as it is". {@code clearRateLimit} removes a rate limit on update. {@code headers}
 * replaces the whole set of custom headers when given (an empty map removes them). {@code ordering}
 * is none or ordered (ADR 11). {@code filter} replaces the subject filter when given
 * ({@link SubjectFilter#NONE} removes it; ADR 14). {@code traceContext}: send a {@code traceparent}
 * with each attempt (ADR 15).
 */
public record EndpointChange(
        String url,
        List<String> eventTypes,
        String description,
        Boolean enabled,
        Integer maxInFlight,
        Integer rateLimitPerSecond,
        boolean clearRateLimit,
        String format,
        Map<String, String> headers,
        Boolean collapse,
        String ordering,
        SubjectFilter filter,
        Boolean traceContext) {

    public EndpointChange(
            String url,
            List<String> eventTypes,
            String description,
            Boolean enabled,
            Integer maxInFlight,
            Integer rateLimitPerSecond,
            boolean clearRateLimit,
            String format,
            Map<String, String> headers,
            Boolean collapse,
            String ordering,
            SubjectFilter filter) {
        this(
                url,
                eventTypes,
                description,
                enabled,
                maxInFlight,
                rateLimitPerSecond,
                clearRateLimit,
                format,
                headers,
                collapse,
                ordering,
                filter,
                null);
    }

    public EndpointChange(
            String url,
            List<String> eventTypes,
            String description,
            Boolean enabled,
            Integer maxInFlight,
            Integer rateLimitPerSecond,
            boolean clearRateLimit,
            String format,
            Map<String, String> headers,
            Boolean collapse,
            String ordering) {
        this(
                url,
                eventTypes,
                description,
                enabled,
                maxInFlight,
                rateLimitPerSecond,
                clearRateLimit,
                format,
                headers,
                collapse,
                ordering,
                null);
    }

    public EndpointChange(
            String url,
            List<String> eventTypes,
            String description,
            Boolean enabled,
            Integer maxInFlight,
            Integer rateLimitPerSecond,
            boolean clearRateLimit,
            String format,
            Map<String, String> headers,
            Boolean collapse) {
        this(
                url,
                eventTypes,
                description,
                enabled,
                maxInFlight,
                rateLimitPerSecond,
                clearRateLimit,
                format,
                headers,
                collapse,
                null);
    }

    public EndpointChange(
            String url,
            List<String> eventTypes,
            String description,
            Boolean enabled,
            Integer maxInFlight,
            Integer rateLimitPerSecond,
            boolean clearRateLimit,
            String format,
            Map<String, String> headers) {
        this(
                url,
                eventTypes,
                description,
                enabled,
                maxInFlight,
                rateLimitPerSecond,
                clearRateLimit,
                format,
                headers,
                null);
    }

    public EndpointChange(
            String url,
            List<String> eventTypes,
            String description,
            Boolean enabled,
            Integer maxInFlight,
            Integer rateLimitPerSecond,
            boolean clearRateLimit) {
        this(url, eventTypes, description, enabled, maxInFlight, rateLimitPerSecond, clearRateLimit, null, null);
    }

    public EndpointChange(String url, List<String> eventTypes, String description, Boolean enabled) {
        this(url, eventTypes, description, enabled, null, null, false);
    }
}
