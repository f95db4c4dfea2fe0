package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.GoneException;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.core.port.StreamStore.Place;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pull stream (issue 16 item 2): a partner's events in commit order after a cursor, with an
 * optional long poll, and named consumers whose cursor the server keeps. A cursor is
 * {@code <number>.<event id>}, opaque to partners; an empty page answers the cursor it was given,
 * so a client can keep asking with the last {@code next_cursor} it has.
 */
public final class ReadStream {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_WAIT_SECONDS = 30;
    public static final int MAX_TYPES = 50;
    /** How often a long poll looks again; the ~100 ms a partner may wait past a commit. */
    static final Duration POLL = Duration.ofMillis(100);

    private static final Pattern CURSOR = Pattern.compile("(\\d{1,20})\\.((?:evt_[A-Za-z0-9_]{1,80})?)");
    private static final Pattern CONSUMER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a GET /v1/stream asks for; null fields were not given. */
    public record Request(
            String after,
            String consumer,
            Integer limit,
            List<String> eventTypes,
            Integer waitSeconds,
            SubjectFilter filter) {
        public Request(String after, String consumer, Integer limit, List<String> eventTypes, Integer waitSeconds) {
            this(after, consumer, limit, eventTypes, waitSeconds, null);
        }
    }

    public record Page(List<Event> events, String nextCursor) {}

    private final StreamStore stream;
    private final EventCatalog catalog;
    private final Clock clock;
    private final int retentionDays;
    private final AuditTrail audit;

    public ReadStream(StreamStore stream, EventCatalog catalog, Clock clock, int retentionDays, AuditTrail audit) {
        this.stream = stream;
        this.catalog = catalog;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.audit = audit;
    }

    public Page read(PartnerId partner, Request r) {
        List<FieldError> errors = new ArrayList<>();
        int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be from 1 to " + MAX_LIMIT));
        }
        int wait = r.waitSeconds() == null ? 0 : r.waitSeconds();
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            errors.add(new FieldError("wait", "must be from 0 to " + MAX_WAIT_SECONDS + " seconds"));
        }
        if (r.after() != null && r.consumer() != null) {
            errors.add(new FieldError(
                    "after", "cannot be given with consumer (a consumer continues from its own cursor)"));
        }
        if (r.consumer() != null) {
            checkConsumerName(r.consumer(), errors);
        }
        Place after = r.after() == null ? null : parse("after", r.after(), errors);
        List<String> types = types(r.eventTypes(), errors);
        SubjectFilter filter = r.filter() == null ? SubjectFilter.NONE : r.filter();
        errors.addAll(filter.problems(""));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String start = r.after();
        if (r.consumer() != null) {
            start = stream.consumer(partner, r.consumer())
                    .map(StreamConsumer::cursor)
                    .orElse(null);
            after = start == null ? null : parse("consumer", start, new ArrayList<>());
        }
        refuseIfGone(partner, after, r.consumer() != null ? "consumer" : "after");
        // real time, not the business clock: a wait is how long this request is held
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        while (true) {
            List<StreamStore.Item> items = stream.after(partner, after, types, filter, limit);
            if (!items.isEmpty()) {
                Place last = items.get(items.size() - 1).place();
                return new Page(items.stream().map(StreamStore.Item::event).toList(), format(last));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Page(
                        List.of(),
                        start == null
                                ? stream.beforeOldest(partner)
                                        .map(ReadStream::format)
                                        .orElse(null)
                                : start);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Page(List.of(), start);
            }
        }
    }

    /** A consumer's cursor (404 when it never committed one). */
    public StreamConsumer consumer(PartnerId partner, String name) {
        List<FieldError> errors = new ArrayList<>();
        checkConsumerName(name, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return stream.consumer(partner, name)
                .orElseThrow(() -> new NotFoundException("name", "no stream consumer " + name));
    }

    /** Stores the consumer's cursor; the first commit creates the consumer and is audited. */
    public StreamConsumer commit(PartnerId partner, String name, String cursor) {
        List<FieldError> errors = new ArrayList<>();
        checkConsumerName(name, errors);
        if (cursor == null) {
            errors.add(new FieldError("cursor", "is required"));
        } else {
            parse("cursor", cursor, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = Times.millis(clock.instant());
        if (stream.consumer(partner, name).isPresent()) {
            stream.commit(partner, name, cursor, now);
        } else {
            // the first commit creates the consumer: audited in the same transaction
            audit.record(AuditTrail.Actor.partner(partner), "stream_consumer.create", "stream_consumer", a -> {
                a.target(name);
                boolean created = stream.commit(partner, name, cursor, now);
                ObjectNode state = JsonNodeFactory.instance.objectNode();
                state.put("name", name).put("cursor", cursor);
                a.after(state);
                if (!created) {
                    a.nothingChanged();
                }
                return null;
            });
        }
        return stream.consumer(partner, name).orElseThrow();
    }

    private void refuseIfGone(PartnerId partner, Place after, String field) {
        if (after == null || after.eventId().isEmpty() || retentionDays <= 0) {
            return;
        }
        long cutoff = clock.instant().minus(Duration.ofDays(retentionDays)).toEpochMilli();
        if (after.eventId().compareTo(IdGenerator.timePrefix(Ids.EVENT, cutoff)) < 0) {
            String oldest = stream.beforeOldest(partner).map(ReadStream::format).orElse(null);
            throw new GoneException(
                    field,
                    "the cursor points before what is kept (" + retentionDays
                            + " days); start again from oldest_cursor",
                    oldest);
        }
    }

    private List<String> types(List<String> given, List<FieldError> errors) {
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        if (given.size() > MAX_TYPES) {
            errors.add(new FieldError("event_types", "must list at most " + MAX_TYPES + " entries"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String p = given.get(i);
            int at = i;
            Optional<String> why = EventTypeFilter.checkPattern(p)
                    .or(() -> catalog.covers(p)
                            ? Optional.empty()
                            : Optional.of("names no event type in the catalog (GET /v1/event-types lists them)"));
            why.ifPresent(w -> errors.add(new FieldError("event_types[" + at + "]", w)));
            if (p.equals("*")) {
                return List.of();
            }
            out.add(p.endsWith(".*") ? p.substring(0, p.length() - 1) : p);
        }
        return out;
    }

    private static void checkConsumerName(String name, List<FieldError> errors) {
        if (name == null || !CONSUMER.matcher(name).matches()) {
            errors.add(new FieldError(
                    "consumer", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
    }

    private static Place parse(String field, String cursor, List<FieldError> errors) {
        var m = CURSOR.matcher(cursor);
        if (!m.matches()) {
            errors.add(new FieldError(field, "must be a next_cursor of a previous page"));
            return null;
        }
        return new Place(m.group(1), m.group(2));
    }

    static String format(Place p) {
        return p.number() + "." + p.eventId();
    }
}
