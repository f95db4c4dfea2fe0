package io.partnerhooks.core.usecase;

import java.util.List;

/**
 * The fields a partner sets on an endpoint. On create, null means "use the default"; on update,
 * null means "leave as it is". {@code clearRateLimit} removes a rate limit on update.
 */
public record EndpointChange(String url, List<String> eventTypes, String description, Boolean enabled,
        Integer maxInFlight, Integer rateLimitPerSecond, boolean clearRateLimit) {

    public EndpointChange(String url, List<String> eventTypes, String description, Boolean enabled) {
        this(url, eventTypes, description, enabled, null, null, false);
    }
}
