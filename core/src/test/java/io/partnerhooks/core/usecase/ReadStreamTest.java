package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.GoneException;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.core.testing.TestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pull stream: checks, cursors in commit order, and named consumers whose first commit is audited. */
class ReadStreamTest {
    private final TestData t = new TestData();
    private final PartnerId acme = new PartnerId("ptn_acme");

    /** A partner's stream in commit order, the place of each event its position; consumers by name. */
    private final class Stream implements StreamStore {
        final List<Item> items = new ArrayList<>();
        final Map<String, StreamConsumer> consumers = new HashMap<>();
        List<String> lastTypes;

        void add(String type) {
            Instant at = t.clock.instant();
            IdGenerator ids = new IdGenerator(Clock.fixed(at, ZoneOffset.UTC), new SplittableRandom(items.size()));
            Event e = new Event(new EventId(ids.next(Ids.EVENT)), acme, type, "{}", "{}", at, null);
            items.add(new Item(e, new Place(Integer.toString(items.size() + 1), e.id().value())));
        }

        @Override
        public List<Item> after(PartnerId partner, Place after, List<String> types, SubjectFilter filter, int limit) {
            lastTypes = types;
            int from = after == null ? 0 : Integer.parseInt(after.number());
            return items.stream()
                    .skip(from)
                    .filter(i -> types.isEmpty()
                            || types.stream()
                                    .anyMatch(p -> p.endsWith(".")
                                            ? i.event().type().startsWith(p)
                                            : i.event().type().equals(p)))
                    .limit(limit)
                    .toList();
        }

        @Override
        public Optional<Place> beforeOldest(PartnerId partner) {
            return items.isEmpty() ? Optional.empty() : Optional.of(new Place("0", ""));
        }

        @Override
        public Optional<StreamConsumer> consumer(PartnerId partner, String name) {
            return Optional.ofNullable(consumers.get(name));
        }

        @Override
        public boolean commit(PartnerId partner, String name, String cursor, Instant at) {
            StreamConsumer before = consumers.get(name);
            consumers.put(name, new StreamConsumer(name, cursor, before == null ? at : before.createdAt(), at));
            return before == null;
        }
    }

    private final Stream stream = new Stream();
    private final AuditTrail audit = new AuditTrail(t.store.audit(), t.store.transactions(), t.ids, t.clock, () -> {});
    private final ReadStream read = new ReadStream(stream, EventCatalog.load(), t.clock, 30, audit);

    private static ReadStream.Request after(String cursor, Integer limit, List<String> types) {
        return new ReadStream.Request(cursor, null, limit, types, null);
    }

    @Test
    void pagesFollowTheCursorAndAnEmptyPageAnswersTheCursorItWasGiven() {
        for (String type : List.of("channel.live", "workspace.seats.exhausted", "channel.ready")) {
            stream.add(type);
        }
        ReadStream.Page first = read.read(acme, after(null, 2, null));
        assertThat(first.events()).extracting(Event::type).containsExactly("channel.live", "workspace.seats.exhausted");
        assertThat(first.nextCursor())
                .isEqualTo("2." + first.events().get(1).id().value());
        ReadStream.Page second = read.read(acme, after(first.nextCursor(), 2, null));
        assertThat(second.events()).extracting(Event::type).containsExactly("channel.ready");
        ReadStream.Page empty = read.read(acme, after(second.nextCursor(), 2, null));
        assertThat(empty.events()).isEmpty();
        assertThat(empty.nextCursor()).isEqualTo(second.nextCursor());
        // a prefix pattern is passed on as the prefix, and * as no narrowing
        assertThat(read.read(acme, after(null, null, List.of("channel.*"))).events())
                .hasSize(2);
        assertThat(stream.lastTypes).containsExactly("channel.");
        read.read(acme, after(null, null, List.of("*")));
        assertThat(stream.lastTypes).isEmpty();
    }

    @Test
    void badParametersAreNamedTogether() {
        assertThatThrownBy(() -> read.read(acme, new ReadStream.Request("junk", "c1", 0, List.of("nothing.here"), 31)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("limit", "wait", "after", "after", "event_types[0]"));
    }

    @Test
    void aCursorOlderThanRetentionIsGone() {
        stream.add("channel.live");
        String old = "1."
                + IdGenerator.timePrefix(
                        Ids.EVENT, TestData.T0.minus(Duration.ofDays(31)).toEpochMilli()) + "0000000000000000";
        assertThatThrownBy(() -> read.read(acme, after(old, null, null))).isInstanceOf(GoneException.class);
    }

    @Test
    void aConsumersFirstCommitCreatesItAndIsAuditedLaterOnesAreNot() {
        stream.add("channel.live");
        ReadStream.Page page = read.read(acme, new ReadStream.Request(null, "billing", null, null, null));
        assertThatThrownBy(() -> read.consumer(acme, "billing")).isInstanceOf(NotFoundException.class);
        read.commit(acme, "billing", page.nextCursor());
        t.clock.advance(Duration.ofSeconds(1));
        read.commit(acme, "billing", page.nextCursor());
        assertThat(read.consumer(acme, "billing").cursor()).isEqualTo(page.nextCursor());
        assertThat(t.store.audit().entries()).extracting(e -> e.action()).containsExactly("stream_consumer.create");
        // the consumer continues from its own cursor
        stream.add("channel.ready");
        assertThat(read.read(acme, new ReadStream.Request(null, "billing", null, null, null))
                        .events())
                .extracting(Event::type)
                .containsExactly("channel.ready");
        assertThatThrownBy(() -> read.commit(acme, "billing", "nope")).isInstanceOf(InvalidInputException.class);
    }
}
