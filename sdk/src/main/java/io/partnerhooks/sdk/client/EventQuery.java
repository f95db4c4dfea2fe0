package io.partnerhooks.sdk.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Filters and paging for {@link PartnerClient#listEvents(EventQuery)}; nothing set lists every event, newest first. */
public final class EventQuery {
    private final Map<String, Object> params = new LinkedHashMap<>();

    public static EventQuery all() {
        return new EventQuery();
    }

    /** 1 to 250; 50 when not set. */
    public EventQuery limit(int limit) {
        params.put("limit", limit);
        return this;
    }

    /** The {@code nextCursor} of the previous page. */
    public EventQuery after(String cursor) {
        params.put("after", cursor);
        return this;
    }

    /** An exact type, {@code prefix.*} or {@code *}. */
    public EventQuery type(String type) {
        params.put("type", type);
        return this;
    }

    public EventQuery since(Instant since) {
        params.put("since", since.toString());
        return this;
    }

    public EventQuery until(Instant until) {
        params.put("until", until.toString());
        return this;
    }

    /** Only events with a failed delivery. */
    public EventQuery failedOnly() {
        params.put("status", "failed");
        return this;
    }

    public EventQuery workspaceId(String workspaceId) {
        params.put("workspace_id", workspaceId);
        return this;
    }

    public EventQuery channelId(String channelId) {
        params.put("channel_id", channelId);
        return this;
    }

    public EventQuery phoneNumber(String phoneNumber) {
        params.put("phone_number", phoneNumber);
        return this;
    }

    Map<String, Object> params() {
        return params;
    }
}
