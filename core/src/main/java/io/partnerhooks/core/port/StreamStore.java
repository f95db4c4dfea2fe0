package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A partner's events in commit order, for pulling instead of being pushed to (GET /v1/stream),
 * and the cursors of its named consumers. A place is a decimal number plus the event id; the
 * order has no gaps and no repeats across pages, on any number of nodes: an event committed after
 * a page was read never sorts before that page's last place.
 */
public interface StreamStore {
    /** A place in the stream: after {@code number} (and, within it, after {@code eventId}; "" = before any). */
    record Place(String number, String eventId) {}

    record Item(Event event, Place place) {}

    /**
     * Up to {@code limit} events after {@code after} (null: from the oldest kept), oldest first,
     * narrowed to {@code types} when not empty (exact names, or prefixes ending in ".") and to the
     * subjects {@code filter} lets through.
     */
    List<Item> after(PartnerId partner, Place after, List<String> types, SubjectFilter filter, int limit);

    /** The place just before the partner's oldest kept event (empty when it has none). */
    Optional<Place> beforeOldest(PartnerId partner);

    Optional<StreamConsumer> consumer(PartnerId partner, String name);

    /** Stores the consumer's cursor (creating it); true when it was created. */
    boolean commit(PartnerId partner, String name, String cursor, Instant at);
}
