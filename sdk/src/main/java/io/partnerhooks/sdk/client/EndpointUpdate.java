package io.partnerhooks.sdk.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to an endpoint: only what is set here is sent, the rest keeps its value. Enabling a
 * disabled endpoint again re-queues what failed while it was down.
 */
public final class EndpointUpdate {
    private final Map<String, Object> body = new LinkedHashMap<>();

    public static EndpointUpdate create() {
        return new EndpointUpdate();
    }

    public EndpointUpdate url(String url) {
        body.put("url", url);
        return this;
    }

    public EndpointUpdate eventTypes(List<String> eventTypes) {
        body.put("event_types", List.copyOf(eventTypes));
        return this;
    }

    public EndpointUpdate description(String description) {
        body.put("description", description);
        return this;
    }

    public EndpointUpdate enabled(boolean enabled) {
        body.put("enabled", enabled);
        return this;
    }

    public EndpointUpdate maxInFlight(int maxInFlight) {
        body.put("max_in_flight", maxInFlight);
        return this;
    }

    public EndpointUpdate rateLimitPerSecond(int perSecond) {
        body.put("rate_limit_per_second", perSecond);
        return this;
    }

    /** Removes the rate limit. */
    public EndpointUpdate noRateLimit() {
        body.put("rate_limit_per_second", null);
        return this;
    }

    public EndpointUpdate format(String format) {
        body.put("format", format);
        return this;
    }

    /** Replaces the whole set of custom headers; an empty map removes them. */
    public EndpointUpdate headers(Map<String, String> headers) {
        body.put("headers", Map.copyOf(headers));
        return this;
    }

    public EndpointUpdate collapse(boolean collapse) {
        body.put("collapse", collapse);
        return this;
    }

    /**
     * Narrows the subscription to events about these subjects: one whose subject's workspace_id,
     * channel_id or phone_number is among the values given for it (an empty list does not narrow).
     */
    public EndpointUpdate filter(List<String> workspaceIds, List<String> channelIds, List<String> phoneNumbers) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("workspace_ids", List.copyOf(workspaceIds));
        f.put("channel_ids", List.copyOf(channelIds));
        f.put("phone_numbers", List.copyOf(phoneNumbers));
        body.put("filter", f);
        return this;
    }

    /** Removes the subject filter: every subject again. */
    public EndpointUpdate noFilter() {
        body.put("filter", null);
        return this;
    }

    Map<String, Object> toJson() {
        return new LinkedHashMap<>(body);
    }
}
