package io.partnerhooks.sdk.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An endpoint to register: a URL and the event types it subscribes to (exact types, {@code prefix.*}
 * or {@code *}); the rest is optional and takes the server's default when left out.
 */
public final class NewEndpoint {
    private final Map<String, Object> body = new LinkedHashMap<>();

    private NewEndpoint(String url, List<String> eventTypes) {
        body.put("url", Objects.requireNonNull(url, "url"));
        body.put("event_types", List.copyOf(eventTypes));
    }

    public static NewEndpoint of(String url, List<String> eventTypes) {
        return new NewEndpoint(url, eventTypes);
    }

    public static NewEndpoint of(String url, String... eventTypes) {
        return new NewEndpoint(url, List.of(eventTypes));
    }

    public NewEndpoint description(String description) {
        body.put("description", description);
        return this;
    }

    /** Registers it disabled (true when not called). */
    public NewEndpoint enabled(boolean enabled) {
        body.put("enabled", enabled);
        return this;
    }

    public NewEndpoint maxInFlight(int maxInFlight) {
        body.put("max_in_flight", maxInFlight);
        return this;
    }

    public NewEndpoint rateLimitPerSecond(int perSecond) {
        body.put("rate_limit_per_second", perSecond);
        return this;
    }

    /** {@code standard} (the default), {@code cloud_api}, or a provider-compatible format. */
    public NewEndpoint format(String format) {
        body.put("format", format);
        return this;
    }

    /** Headers of your own, sent on every delivery. */
    public NewEndpoint headers(Map<String, String> headers) {
        body.put("headers", Map.copyOf(headers));
        return this;
    }

    public NewEndpoint collapse(boolean collapse) {
        body.put("collapse", collapse);
        return this;
    }

    /**
     * Narrows the subscription to events about these subjects: one whose subject's workspace_id,
     * channel_id or phone_number is among the values given for it (an empty list does not narrow).
     */
    public NewEndpoint filter(List<String> workspaceIds, List<String> channelIds, List<String> phoneNumbers) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("workspace_ids", List.copyOf(workspaceIds));
        f.put("channel_ids", List.copyOf(channelIds));
        f.put("phone_numbers", List.copyOf(phoneNumbers));
        body.put("filter", f);
        return this;
    }

    Map<String, Object> toJson() {
        return new LinkedHashMap<>(body);
    }
}
