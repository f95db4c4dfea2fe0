package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Page;
import java.util.List;

/** A page of the event log, newest first; {@code next_cursor} is null on the last page. */
@ApiSchema("listEvents 200")
public record EventPageResponse(List<EventResponse> data, String nextCursor) {
    public static EventPageResponse of(Page<Event> page) {
        return new EventPageResponse(
                page.items().stream().map(EventResponse::of).toList(), page.nextCursor());
    }
}
