package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.testing.Await;
import io.partnerhooks.core.testing.ScriptedTransport;
import io.partnerhooks.core.testing.TestData;
import io.partnerhooks.core.testing.Ticker;
import io.partnerhooks.core.usecase.PublishEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on an in-memory queue and a scripted transport: business time is the mutable
 * clock and the rate limiter's time the ticker, so nothing here waits for time to pass. The
 * dispatcher runs its own loop and senders; the tests wait (boundedly) for what they bring about.
 */
class DispatcherTest {
    private static final String TYPE = "workspace.seats.exhausted";
    private static final String DATA =
            EventCatalog.load().find(TYPE).orElseThrow().exampleJson();
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Jitter 0: the retry times are exact. */
    private static final RetryPolicy RETRY =
            new RetryPolicy(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60)), Duration.ofHours(1), 0);

    private final TestData t = new TestData();
    private final Ticker ticker = new Ticker();
    private final ScriptedTransport transport = new ScriptedTransport();
    /** Senders make attempt ids concurrently: a thread-safe random for theirs. */
    private final AttemptMaker attempts = new AttemptMaker(
            transport,
            RETRY,
            new EndpointHealthPolicy(5, RETRY),
            t.clock,
            () -> 0.5,
            new IdGenerator(t.clock, new Random(3)),
            "Partnerhooks/test");

    private final Partner acme = t.partner("acme");
    private final List<Next> observed = new CopyOnWriteArrayList<>();
    private Dispatcher dispatcher;

    private Dispatcher start(int maxInFlight, Duration idlePoll) {
        dispatcher = new Dispatcher(t.store.queue(), attempts, t.clock, maxInFlight, 100, LEASE, idlePoll, ticker);
        dispatcher.observe((outcome, ms, next) -> observed.add(next));
        dispatcher.start();
        return dispatcher;
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.drain(Duration.ofMillis(100));
        }
    }

    /** An event with one queued delivery to each endpoint, due now; its id. */
    private EventId queued(String subjectKey, Endpoint... endpoints) {
        Event e = new Event(
                new EventId(t.ids.next(Ids.EVENT)),
                acme.id(),
                TYPE,
                "{\"workspace_id\":\"ws_1\"}",
                DATA,
                t.clock.instant(),
                null,
                subjectKey,
                0);
        List<NewDelivery> ds = new ArrayList<>();
        for (Endpoint ep : endpoints) {
            NewDelivery d = new NewDelivery(new DeliveryId(t.ids.next(Ids.DELIVERY)), ep.id());
            ds.add(ep.profile().ordered() ? d.orderedBy(subjectKey) : d);
        }
        t.store.events().append(e, ds);
        return e.id();
    }

    private Delivery only(EventId event) {
        List<Delivery> ds = t.store.deliveriesOf(event);
        assertThat(ds).hasSize(1);
        return ds.get(0);
    }

    private void awaitStatus(EventId event, DeliveryStatus status) {
        Await.until(event + " " + status.wire(), () -> only(event).status() == status);
    }

    @Test
    void aDueDeliveryIsSignedSentAndItsOutcomeRecorded() {
        Endpoint ep = t.endpoint(acme, "*");
        EventId ev = queued("workspace_id:ws_1", ep);
        start(10, Duration.ofMillis(20));

        awaitStatus(ev, DeliveryStatus.DELIVERED);
        var request = transport.requests().get(0);
        assertThat(request.url().toString()).isEqualTo(ep.url());
        assertThat(request.headers())
                .containsEntry("webhook-id", ev.value())
                .containsEntry("webhook-timestamp", Long.toString(TestData.T0.getEpochSecond()))
                .containsEntry("webhook-sequence", "1")
                .containsEntry("webhook-ordering-key", "workspace_id:ws_1");
        byte[] body = request.body();
        assertThat(request.headers().get("webhook-signature"))
                .isEqualTo(Signer.sign(TestData.SECRET, ev.value(), TestData.T0.getEpochSecond(), body));
        Attempt a = only(ev).attempts().get(0);
        assertThat(a.number()).isEqualTo(1);
        assertThat(a.httpStatus()).isEqualTo(200);
        assertThat(a.attemptedAt()).isEqualTo(TestData.T0);
        // what is kept of the request cannot be replayed as a valid signature
        assertThat(a.requestHeaders().get("webhook-signature")).isEqualTo("v1,***");
        Await.until("the observer is told", () -> observed.size() == 1);
        assertThat(observed).containsExactly(new Next.Done());
        assertThat(t.store.endpoint(ep).health()).isEqualTo(Endpoint.Health.OK);
    }

    @Test
    void aFailureIsRetriedWhenTheScheduleSaysAndNotBefore() {
        Endpoint ep = t.endpoint(acme, "*");
        EventId ev = queued("workspace_id:ws_1", ep);
        transport.answer(ev.value(), ScriptedTransport.status(500), ScriptedTransport.ok());
        start(10, Duration.ofMillis(20));

        Await.until("the first attempt is recorded", () -> only(ev).attemptCount() == 1);
        Delivery waiting = only(ev);
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(waiting.nextAttemptAt()).isEqualTo(TestData.T0.plusSeconds(10));
        assertThat(waiting.attempts().get(0).httpStatus()).isEqualTo(500);
        assertThat(t.store.endpoint(ep).health().consecutiveFailures()).isEqualTo(1);

        Instant early = TestData.T0.plusSeconds(9);
        t.clock.advance(Duration.ofSeconds(9));
        dispatcher.wake();
        Await.until(
                "a claim at " + early,
                () -> t.store.queue().claims().stream().anyMatch(c -> c.now().equals(early)));
        assertThat(transport.requests()).hasSize(1);

        t.clock.advance(Duration.ofSeconds(1));
        dispatcher.wake();
        awaitStatus(ev, DeliveryStatus.DELIVERED);
        assertThat(only(ev).attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(only(ev).attempts().get(1).attemptedAt()).isEqualTo(TestData.T0.plusSeconds(10));
        assertThat(t.store.endpoint(ep).health().consecutiveFailures()).isZero();
    }

    @Test
    void a410FailsTheDeliveryAndDisablesTheEndpoint() {
        Endpoint ep = t.endpoint(acme, "*");
        EventId ev = queued("workspace_id:ws_1", ep);
        transport.answer(ev.value(), ScriptedTransport.status(410));
        start(10, Duration.ofMillis(20));

        awaitStatus(ev, DeliveryStatus.FAILED);
        Endpoint after = t.store.endpoint(ep);
        assertThat(after.enabled()).isFalse();
        assertThat(after.health().disabledReason()).isEqualTo(EndpointHealthPolicy.goneReason(410));
    }

    @Test
    void anEndpointNeverHasMoreSendsInFlightThanItsLimit() {
        Endpoint ep = t.endpoint(acme, new Endpoint.Limits(2, null), null, null, "*");
        CountDownLatch gate = new CountDownLatch(1);
        List<EventId> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventId ev = queued("workspace_id:ws_" + i, ep);
            transport.answerAfter(ev.value(), gate, ScriptedTransport.ok());
            events.add(ev);
        }
        start(10, Duration.ofMillis(20));

        Await.until("two sends hang", () -> transport.inFlight() == 2);
        // the claim took every row (the rest wait on the node for a slot), yet only two went out
        Await.until(
                "one claim took all five",
                () -> t.store.queue().claims().stream().anyMatch(c -> c.taken().size() == 5));
        assertThat(transport.requests()).hasSize(2);

        gate.countDown();
        for (EventId ev : events) {
            awaitStatus(ev, DeliveryStatus.DELIVERED);
        }
        assertThat(transport.requests()).hasSize(5);
        assertThat(transport.maxInFlight()).isEqualTo(2);
    }

    @Test
    void theNodeNeverHasMoreSendsInFlightThanItsOwnLimit() {
        Endpoint a = t.endpoint(acme, "*");
        Endpoint b = t.endpoint(acme, "*");
        CountDownLatch gate = new CountDownLatch(1);
        List<EventId> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EventId ev = queued("workspace_id:ws_" + i, a, b);
            transport.answerAfter(ev.value(), gate, ScriptedTransport.ok());
            transport.answerAfter(ev.value(), gate, ScriptedTransport.ok());
            events.add(ev);
        }
        start(3, Duration.ofMillis(20));

        Await.until("three sends hang", () -> transport.inFlight() == 3);
        gate.countDown();
        Await.until(
                "all six delivered",
                () -> events.stream()
                        .allMatch(ev -> t.store.deliveriesOf(ev).stream()
                                .allMatch(d -> d.status() == DeliveryStatus.DELIVERED)));
        assertThat(transport.requests()).hasSize(6);
        assertThat(transport.maxInFlight()).isEqualTo(3);
    }

    @Test
    void anEndpointInCooldownGetsOneProbeAtATime() {
        Endpoint cooling = new Endpoint(
                new EndpointId(t.ids.next(Ids.ENDPOINT)),
                acme.id(),
                "https://example.com/cooling",
                List.of("*"),
                null,
                true,
                TestData.SECRET,
                TestData.T0,
                TestData.T0,
                new Endpoint.Limits(10, null),
                new Endpoint.Health(5, TestData.T0.minusSeconds(600), TestData.T0, null, null),
                null,
                null,
                null);
        t.store.endpoints().insert(cooling);
        EventId probe = queued("workspace_id:ws_1", cooling);
        EventId next = queued("workspace_id:ws_1", cooling);
        CountDownLatch gate = new CountDownLatch(1);
        transport.answerAfter(probe.value(), gate, ScriptedTransport.ok());
        start(10, Duration.ofMillis(20));

        Await.until("the probe hangs", () -> transport.inFlight() == 1);
        int before = t.store.queue().claims().size();
        dispatcher.wake();
        Await.until(
                "a claim that leaves the cooling endpoint out",
                () -> t.store.queue().claims().stream()
                        .skip(before)
                        .anyMatch(c -> c.excluded().contains(cooling.id())));
        assertThat(transport.sentEvents()).containsExactly(probe.value());

        // the probe succeeds: the cooldown ends and the next delivery goes
        gate.countDown();
        awaitStatus(next, DeliveryStatus.DELIVERED);
        assertThat(t.store.endpoint(cooling).health()).isEqualTo(Endpoint.Health.OK);
        assertThat(transport.maxInFlight()).isEqualTo(1);
    }

    @Test
    void rowsThatWaitedOnTheNodeForHalfTheLeaseGoBackToTheQueueInsteadOfOut() {
        Endpoint ep = t.endpoint(acme, new Endpoint.Limits(1, null), null, null, "*");
        CountDownLatch gate = new CountDownLatch(1);
        EventId first = queued("workspace_id:ws_1", ep);
        transport.answerAfter(first.value(), gate, ScriptedTransport.ok());
        EventId second = queued("workspace_id:ws_2", ep);
        EventId third = queued("workspace_id:ws_3", ep);
        start(10, Duration.ofMillis(20));
        Await.until("the first send hangs", () -> transport.inFlight() == 1);
        Await.until(
                "the claim took all three",
                () -> t.store.queue().claims().stream().anyMatch(c -> c.taken().size() == 3));
        int before = t.store.queue().claims().size();

        // a stalled endpoint: the waiting rows' lease is half gone by the time a slot frees
        ticker.advance(LEASE.dividedBy(2).plusMillis(1));
        gate.countDown();
        awaitStatus(second, DeliveryStatus.DELIVERED);
        awaitStatus(third, DeliveryStatus.DELIVERED);
        // they were handed back and claimed again under a fresh lease, not sent on the old one
        List<DeliveryId> reclaimed = t.store.queue().claims().stream()
                .skip(before)
                .flatMap(c -> c.taken().stream())
                .toList();
        assertThat(reclaimed).contains(only(second).id(), only(third).id());
    }

    @Test
    void aRateLimitedEndpointGetsItsNextSendOnlyWhenItsTimeHasCome() {
        Endpoint ep = t.endpoint(acme, new Endpoint.Limits(10, 1), null, null, "*");
        EventId first = queued("workspace_id:ws_1", ep);
        EventId second = queued("workspace_id:ws_1", ep);
        start(10, Duration.ofMillis(20));

        Await.until("one send", () -> transport.requests().size() == 1);
        awaitStatus(first, DeliveryStatus.DELIVERED);
        // new work: the dispatcher claims, but leaves the endpoint out until a second has passed
        int before = t.store.queue().claims().size();
        dispatcher.wake();
        Await.until(
                "a claim that excludes the endpoint",
                () -> t.store.queue().claims().stream()
                        .skip(before)
                        .anyMatch(c -> c.excluded().contains(ep.id())));
        assertThat(transport.requests()).hasSize(1);
        assertThat(only(second).status()).isEqualTo(DeliveryStatus.PENDING);

        ticker.advance(Duration.ofSeconds(1));
        dispatcher.wake();
        awaitStatus(second, DeliveryStatus.DELIVERED);
        assertThat(transport.sentEvents()).containsExactly(first.value(), second.value());
    }

    @Test
    void anOrderedEndpointSendsALaterDeliveryOfAKeyOnlyOnceTheEarlierOneIsDone() {
        Endpoint ep = t.endpoint(
                acme,
                new Endpoint.Limits(2, null),
                Endpoint.Profile.DEFAULT.withOrdering(Endpoint.Profile.ORDERING_ORDERED),
                null,
                "*");
        EventId k1 = queued("workspace_id:ws_k", ep);
        EventId k2 = queued("workspace_id:ws_k", ep);
        EventId other = queued("workspace_id:ws_o", ep);
        CountDownLatch gate = new CountDownLatch(1);
        transport.answerAfter(k1.value(), gate, ScriptedTransport.ok());
        // a long idle poll: only the dispatcher's own wake after k1's outcome can make k2 go in time
        start(10, Duration.ofMinutes(10));

        awaitStatus(other, DeliveryStatus.DELIVERED);
        Await.until("k1 is being sent", () -> transport.inFlight() == 1);
        assertThat(transport.sentEvents()).containsExactlyInAnyOrder(k1.value(), other.value());
        assertThat(only(k2).heldBy()).isEqualTo(only(k1).id());

        gate.countDown();
        awaitStatus(k2, DeliveryStatus.DELIVERED);
        List<String> sent = transport.sentEvents();
        assertThat(sent.indexOf(k1.value())).isLessThan(sent.indexOf(k2.value()));
    }

    @Test
    void aShutdownHandsTheRowsWaitingOnTheNodeAndTheCutSendBackToTheQueue() {
        Endpoint ep = t.endpoint(acme, new Endpoint.Limits(1, null), null, null, "*");
        CountDownLatch never = new CountDownLatch(1);
        List<EventId> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EventId ev = queued("workspace_id:ws_" + i, ep);
            transport.answerAfter(ev.value(), never, ScriptedTransport.ok());
            events.add(ev);
        }
        Dispatcher d = start(10, Duration.ofMillis(20));
        Await.until("one send hangs", () -> transport.inFlight() == 1);
        Await.until(
                "the claim took all three",
                () -> t.store.queue().claims().stream().anyMatch(c -> c.taken().size() == 3));

        Dispatcher.Drained drained = d.drain(Duration.ofMillis(50));
        dispatcher = null;

        assertThat(drained).isEqualTo(new Dispatcher.Drained(0, 1));
        assertThat(transport.requests()).hasSize(1);
        for (EventId ev : events) {
            Delivery row = only(ev);
            assertThat(row.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(row.attempts()).isEmpty();
            assertThat(row.nextAttemptAt()).isBeforeOrEqualTo(t.clock.instant());
            assertThat(t.store.leaseToken(row.id())).isNull();
        }
    }

    @Test
    void aFreshDeliveryIsSentRightAfterItsPublishWithoutAClaim() {
        Endpoint ep = t.endpoint(acme, "*");
        Dispatcher d = start(10, Duration.ofMinutes(10));
        PublishEvent publish = new PublishEvent(
                t.store.partners(),
                t.store.endpoints(),
                t.store.events(),
                t.ids,
                t.clock,
                d::wake,
                EventCatalog.load(),
                d);

        PublishEvent.Published p = publish.publish(
                new PublishEvent.Request(TYPE, acme.id().value(), "{\"workspace_id\":\"ws_1\"}", DATA, null, null));

        awaitStatus(p.id(), DeliveryStatus.DELIVERED);
        assertThat(d.claimedRows()).isZero();
        assertThat(only(p.id()).endpointId()).isEqualTo(ep.id());
        assertThat(transport.sentEvents()).containsExactly(p.id().value());
    }
}
