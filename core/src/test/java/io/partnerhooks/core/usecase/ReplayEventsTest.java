package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Replays: the request checked and counted before it is stored, then queued in batches that only
 * top the endpoint's queue up to its window, and finished (and announced) once nothing is pending.
 */
class ReplayEventsTest {
    private final TestData t = new TestData();
    private final Partner acme = t.partner("acme");
    private final Endpoint e = t.endpoint(acme, new Endpoint.Limits(2, null), null, null, "*");
    private final AtomicInteger woken = new AtomicInteger();
    private final AtomicInteger saved = new AtomicInteger();

    /**
     * One replay's row as the database keeps it: what the selection matches is a count the test
     * sets, the endpoint's backlog too; a batch queues up to its limit of what is left.
     */
    private final class Replays implements ReplayStore {
        long matches = 7;
        int backlog;
        Replay row;
        String lease;
        Instant notBefore = Instant.EPOCH;
        String cursor;
        long queued;
        long pending;
        final List<Integer> batches = new ArrayList<>();

        @Override
        public long count(Selection s, long max) {
            return Math.min(matches, max + 1);
        }

        @Override
        public void insert(Replay r) {
            row = r;
        }

        @Override
        public Optional<Replay> find(PartnerId partner, ReplayId id) {
            if (row == null || !row.partnerId().equals(partner) || !row.id().equals(id)) {
                return Optional.empty();
            }
            return Optional.of(new Replay(
                    row.id(),
                    row.partnerId(),
                    row.endpointId(),
                    row.which(),
                    row.since(),
                    row.until(),
                    row.eventTypes(),
                    row.state(),
                    row.matched(),
                    queued,
                    0,
                    0,
                    pending,
                    row.createdAt(),
                    row.updatedAt(),
                    row.startedAt(),
                    row.completedAt()));
        }

        @Override
        public Page<Replay> list(PartnerId partner, EndpointId endpoint, int limit, String afterCursor) {
            return new Page<>(row == null ? List.of() : List.of(row), null);
        }

        @Override
        public Optional<Claimed> claim(String token, Instant now, Instant leaseUntil) {
            boolean open = row != null && (row.state() == Replay.State.QUEUED || row.state() == Replay.State.RUNNING);
            if (!open || lease != null || now.isBefore(notBefore)) {
                return Optional.empty();
            }
            lease = token;
            return Optional.of(new Claimed(row, token, cursor, queued >= matches));
        }

        @Override
        public int backlog(EndpointId endpoint, int max) {
            return Math.min(backlog, max);
        }

        @Override
        public Optional<Batch> queueBatch(
                Claimed c, Selection s, int limit, Supplier<DeliveryId> ids, Instant now, Instant leaseUntil) {
            if (!c.leaseToken().equals(lease)) {
                return Optional.empty();
            }
            int n = (int) Math.min(limit, matches - queued);
            for (int i = 0; i < n; i++) {
                ids.get();
            }
            batches.add(n);
            queued += n;
            pending += n;
            cursor = "after-" + queued;
            return Optional.of(new Batch(n, cursor, queued >= matches));
        }

        @Override
        public boolean release(ReplayId id, String token, Instant notBefore, Instant now) {
            if (!token.equals(lease)) {
                return false;
            }
            lease = null;
            this.notBefore = notBefore;
            return true;
        }

        @Override
        public boolean finish(ReplayId id, String token, Replay.State state, Instant now) {
            if (!token.equals(lease)) {
                return false;
            }
            lease = null;
            row = new Replay(
                    row.id(),
                    row.partnerId(),
                    row.endpointId(),
                    row.which(),
                    row.since(),
                    row.until(),
                    row.eventTypes(),
                    state,
                    row.matched(),
                    queued,
                    0,
                    0,
                    pending,
                    row.createdAt(),
                    now,
                    row.startedAt(),
                    now);
            return true;
        }
    }

    private final Replays store = new Replays();
    private final ManageEndpoints subscriptions = new ManageEndpoints(
            t.store.endpoints(), t.store.queue(), AddressPolicy.denyInternal(), t.ids, t.clock, t.random);
    private final AnnounceOperations announce = new AnnounceOperations(
            t.store.endpoints(), t.store.events(), t.store.transactions(), t.ids, t.clock, woken::incrementAndGet);
    private final ReplayEvents replays = new ReplayEvents(
                    store,
                    t.store.endpoints(),
                    subscriptions,
                    t.ids,
                    t.clock,
                    woken::incrementAndGet,
                    saved::incrementAndGet,
                    500,
                    100)
            .announcing(t.store.transactions(), announce);

    private ReplayEvents.Request lastHour(String which) {
        return new ReplayEvents.Request(t.clock.instant().minus(Duration.ofHours(1)), null, null, which);
    }

    @Test
    void aRequestIsCheckedCountedAndStoredForAWorker() {
        Replay r = replays.start(acme.id(), e.id(), lastHour("failed"));
        assertThat(r.state()).isEqualTo(Replay.State.QUEUED);
        assertThat(r.matched()).isEqualTo(7);
        assertThat(r.which()).isEqualTo(Replay.Which.FAILED);
        assertThat(r.until()).isEqualTo(TestData.T0);
        assertThat(store.row).isEqualTo(r);
        assertThat(saved).hasValue(1);
        assertThat(replays.get(acme.id(), r.id().value())).isNotNull();
        assertThatThrownBy(() -> replays.get(t.partner("other").id(), r.id().value()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void badRequestsAreRefusedWithTheirFieldsAndNothingIsStored() {
        assertThat(errors(new ReplayEvents.Request(null, null, List.of("nothing.here.*"), "some")))
                .extracting(FieldError::field)
                .containsExactly("which", "since", "event_types[0]");
        assertThat(errors(new ReplayEvents.Request(TestData.T0.plusSeconds(1), null, null, "all")))
                .containsExactly(new FieldError("since", "must not be in the future"));
        assertThat(errors(new ReplayEvents.Request(TestData.T0.minus(Duration.ofDays(40)), null, null, "all")))
                .extracting(FieldError::field)
                .containsExactly("since");
        assertThat(errors(new ReplayEvents.Request(
                        TestData.T0.minus(Duration.ofHours(1)), TestData.T0.minus(Duration.ofHours(2)), null, "all")))
                .extracting(FieldError::field)
                .containsExactly("until");
        // more than the most one replay may match: refused before anything is written
        store.matches = 101;
        assertThat(errors(lastHour("all")))
                .singleElement()
                .satisfies(x -> assertThat(x.detail()).contains("more than 100"));
        assertThat(store.row).isNull();
        assertThatThrownBy(() -> replays.start(t.partner("other").id(), e.id(), lastHour("all")))
                .isInstanceOf(NotFoundException.class);
    }

    private List<FieldError> errors(ReplayEvents.Request r) {
        try {
            replays.start(acme.id(), e.id(), r);
        } catch (InvalidInputException x) {
            return x.errors();
        }
        throw new AssertionError("accepted " + r);
    }

    @Test
    void batchesOnlyTopTheEndpointsQueueUpToItsWindowThenTheReplayCompletesAndIsAnnounced() {
        Endpoint watcher = t.endpoint(acme, "replay.*");
        Replay r = replays.start(acme.id(), e.id(), lastHour("all"));
        // window: five per in-flight slot of the endpoint (2), less what it already has pending
        store.backlog = 4;
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(store.batches).containsExactly(6);
        assertThat(woken).hasValue(1);
        store.backlog = 10;
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WAITING);
        store.backlog = 0;
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(store.batches).containsExactly(6, 1);

        // all queued, some still pending: let go, looked at again later
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(store.lease).isNull();
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.IDLE);
        t.clock.advance(Duration.ofSeconds(3));
        store.pending = 0;
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(store.row.state()).isEqualTo(Replay.State.COMPLETED);

        List<Event> done = t.store.allEvents();
        assertThat(done).extracting(Event::type).containsExactly(AnnounceOperations.REPLAY_COMPLETED);
        assertThat(done.get(0).dataJson()).contains(r.id().value()).contains("\"queued\":7");
        assertThat(t.store.deliveriesOf(done.get(0).id()))
                .extracting(d -> d.endpointId())
                .containsExactly(watcher.id());
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.IDLE);
    }

    @Test
    void aReplayWhoseEndpointIsGoneIsCancelled() {
        replays.start(acme.id(), e.id(), lastHour("all"));
        subscriptions.delete(acme.id(), e.id());
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(store.row.state()).isEqualTo(Replay.State.CANCELLED);
        assertThat(store.batches).isEmpty();
    }

    @Test
    void letGoHandsTheLeaseBackAtOnce() {
        replays.start(acme.id(), e.id(), lastHour("all"));
        store.backlog = 10;
        assertThat(replays.step()).isEqualTo(ReplayEvents.Step.WAITING);
        assertThat(store.lease).isNotNull();
        replays.letGo();
        assertThat(store.lease).isNull();
        assertThat(store.notBefore).isEqualTo(TestData.T0);
    }
}
