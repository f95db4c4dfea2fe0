package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.EventStore.Appended;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store must have, written once and run on each database by a subclass
 * (SQLite and a real PostgreSQL server).
 */
public abstract class StoreContractTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(60);

    protected JdbcStore store;
    private IdGenerator ids;

    protected abstract JdbcStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
        ids = new IdGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(42));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Partner partner(String name) {
        Partner p = new Partner(new PartnerId(ids.next(Ids.PARTNER)), name, T0);
        store.partners().insert(p, new io.partnerhooks.core.domain.ApiKey(
                new io.partnerhooks.core.id.ApiKeyId(ids.next(Ids.API_KEY)), p.id(), "phk_", T0, null, null),
                "hash-" + p.id().value());
        return p;
    }

    private Endpoint endpoint(Partner p, boolean enabled, String... types) {
        Endpoint e = new Endpoint(new EndpointId(ids.next(Ids.ENDPOINT)), p.id(), "https://example.com/" + p.name(),
                List.of(types), "desc", enabled, "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0);
        store.endpoints().insert(e);
        return e;
    }

    private Event event(Partner p, Instant at, String key) {
        return new Event(new EventId(ids.next(Ids.EVENT)), p.id(), "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}", "{\"seats\":5,\"note\":\"caf\u00e9\"}", at, key);
    }

    private List<NewDelivery> deliveriesTo(Endpoint... endpoints) {
        List<NewDelivery> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            out.add(new NewDelivery(new DeliveryId(ids.next(Ids.DELIVERY)), e.id()));
        }
        return out;
    }

    private Attempt attempt(int number, Integer status, String errorClass) {
        return new Attempt(new AttemptId(ids.next(Ids.ATTEMPT)), number, T0, 12, status, errorClass, "body");
    }

    /** An event of ordering key {@code key}, with one delivery to {@code e} ordered by that key. */
    private EventStore.Append ordered(Partner p, Endpoint e, String key, Instant at) {
        Event ev = new Event(new EventId(ids.next(Ids.EVENT)), p.id(), "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}", "{\"seats\":5}", at, null, key, 0);
        return new EventStore.Append(ev, List.of(new NewDelivery(new DeliveryId(ids.next(Ids.DELIVERY)), e.id())
                .orderedBy(key)));
    }

    private DeliveryId only(EventStore.Append a) {
        return a.deliveries().get(0).id();
    }

    private List<DeliveryId> claimIds(Instant at) {
        return store.queue().claimDue(at, 50, LEASE).stream().map(Claimed::id).toList();
    }

    private Claimed claimOne(Instant at, DeliveryId id) {
        List<Claimed> got = store.queue().claimDue(at, 50, LEASE);
        assertThat(got).extracting(Claimed::id).containsExactly(id);
        return got.get(0);
    }

    @Test
    void orderedDeliveriesOfOneKeyGoOneAtATimeInSequenceOrder() {
        Partner p = partner("ordered");
        Endpoint ep = endpoint(p, true, "*");
        EventStore.Append k1 = ordered(p, ep, "workspace_id:ws_k", T0);
        EventStore.Append k2 = ordered(p, ep, "workspace_id:ws_k", T0);
        EventStore.Append other = ordered(p, ep, "workspace_id:ws_o", T0);
        store.events().append(k1.event(), k1.deliveries());
        store.events().append(k2.event(), k2.deliveries());
        store.events().append(other.event(), other.deliveries());
        // only each key's head is due; the second of ws_k waits and names its head
        List<Claimed> heads = store.queue().claimDue(T0, 50, LEASE);
        assertThat(heads).extracting(Claimed::id).containsExactlyInAnyOrder(only(k1), only(other));
        Delivery held = store.events().delivery(p.id(), only(k2)).orElseThrow();
        assertThat(held.heldBy()).isEqualTo(only(k1));
        assertThat(held.nextAttemptAt()).isNull();
        assertThat(store.queue().stats(T0).due()).isZero();
        Claimed h1 = heads.stream().filter(c -> c.id().equals(only(k1))).findFirst().orElseThrow();
        Claimed o = heads.stream().filter(c -> c.id().equals(only(other))).findFirst().orElseThrow();
        assertThat(store.queue().complete(o.id(), o.leaseToken(), attempt(1, 200, null), new Next.Done(), T0)).isTrue();

        // a retry outcome keeps the head; the rest of its key still waits
        assertThat(store.queue().complete(h1.id(), h1.leaseToken(), attempt(1, 500, null),
                new Next.RetryAt(T0.plusSeconds(1)), T0)).isTrue();
        assertThat(claimIds(T0.plusSeconds(2))).containsExactly(only(k1));
        // that claim's node "dies": once its lease ends, the head is due again for anyone
        Claimed again = store.queue().claimDue(T0.plusSeconds(200), 50, LEASE).get(0);
        assertThat(again.id()).isEqualTo(only(k1));
        // finally failed: the next of the key goes on
        assertThat(store.queue().complete(again.id(), again.leaseToken(), attempt(2, 500, null), new Next.GiveUp(),
                T0.plusSeconds(200))).isTrue();
        Claimed h2 = claimOne(T0.plusSeconds(200), only(k2));
        assertThat(store.events().delivery(p.id(), only(k2)).orElseThrow().heldBy()).isNull();

        // the partner retries the failed one while its successor is being sent: it waits behind it
        assertThat(store.queue().retryNow(p.id(), only(k1), T0.plusSeconds(201)))
                .isEqualTo(io.partnerhooks.core.port.DeliveryQueue.RetryResult.QUEUED);
        assertThat(store.events().delivery(p.id(), only(k1)).orElseThrow().heldBy()).isEqualTo(only(k2));
        assertThat(claimIds(T0.plusSeconds(201))).isEmpty();
        assertThat(store.queue().complete(h2.id(), h2.leaseToken(), attempt(1, 200, null), new Next.Done(),
                T0.plusSeconds(202))).isTrue();
        Claimed r1 = claimOne(T0.plusSeconds(202), only(k1));
        // a resend of a delivered one joins its key behind the head being sent
        var resent = store.queue().resend(p.id(), only(k2), new DeliveryId(ids.next(Ids.DELIVERY)), T0.plusSeconds(202));
        assertThat(resent.result()).isEqualTo(io.partnerhooks.core.port.DeliveryQueue.RetryResult.QUEUED);
        assertThat(store.events().delivery(p.id(), resent.id()).orElseThrow().heldBy()).isEqualTo(only(k1));
        assertThat(claimIds(T0.plusSeconds(202))).isEmpty();
        assertThat(store.queue().complete(r1.id(), r1.leaseToken(), attempt(3, 200, null), new Next.Done(),
                T0.plusSeconds(203))).isTrue();
        Claimed copy = claimOne(T0.plusSeconds(203), resent.id());
        assertThat(store.queue().complete(copy.id(), copy.leaseToken(), attempt(1, 200, null), new Next.Done(),
                T0.plusSeconds(204))).isTrue();

        // several of one key in one commit: the first is the head, the rest are held in order (these fail)
        EventStore.Append b1 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        EventStore.Append b2 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        EventStore.Append b3 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        store.events().appendAll(List.of(b1, b2, b3));
        Claimed c1 = claimOne(T0.plusSeconds(300), only(b1));
        assertThat(store.queue().complete(c1.id(), c1.leaseToken(), attempt(1, 500, null), new Next.GiveUp(),
                T0.plusSeconds(301))).isTrue();
        Claimed c2 = claimOne(T0.plusSeconds(301), only(b2));
        assertThat(store.events().delivery(p.id(), only(b3)).orElseThrow().heldBy()).isEqualTo(only(b2));
        assertThat(store.queue().complete(c2.id(), c2.leaseToken(), attempt(1, 500, null), new Next.GiveUp(),
                T0.plusSeconds(302))).isTrue();
        Claimed c3 = claimOne(T0.plusSeconds(302), only(b3));
        assertThat(store.queue().complete(c3.id(), c3.leaseToken(), attempt(1, 500, null), new Next.GiveUp(),
                T0.plusSeconds(303))).isTrue();

        // each finally failed one let the next go; requeued (a re-enabled endpoint), they come back in
        // their order, one at a time
        assertThat(store.queue().requeueFailed(p.id(), ep.id(), T0.plusSeconds(299), T0.plusSeconds(305))).isEqualTo(3);
        List<DeliveryId> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Claimed> got = store.queue().claimDue(T0.plusSeconds(305 + i), 50, LEASE);
            assertThat(got).hasSize(1);
            order.add(got.get(0).id());
            assertThat(store.queue().complete(got.get(0).id(), got.get(0).leaseToken(), attempt(3, 200, null),
                    new Next.Done(), T0.plusSeconds(305 + i))).isTrue();
        }
        assertThat(order).containsExactly(only(b1), only(b2), only(b3));
    }

    @Test
    void aPartnerHasAtMostOneDefaultEndpointPerFormat() {
        Partner a = partner("a");
        Partner b = partner("b");
        java.util.function.BiFunction<Partner, String, Endpoint> byDefault = (p, format) -> new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)), p.id(), "https://example.com/d", List.of("*"), null, true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0, null, null, null, null,
                new Endpoint.Profile(format, null, null, Endpoint.ROLE_DEFAULT));
        Endpoint first = byDefault.apply(a, "99digital");
        store.endpoints().insert(first);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.endpoints().insert(byDefault.apply(a, "99digital")))
                .isInstanceOf(RuntimeException.class);
        // Another format, another partner, or an ordinary endpoint of the same format: all fine.
        store.endpoints().insert(byDefault.apply(a, "360dialog"));
        store.endpoints().insert(byDefault.apply(b, "99digital"));
        store.endpoints().insert(new Endpoint(new EndpointId(ids.next(Ids.ENDPOINT)), a.id(), "https://example.com/o",
                List.of("*"), null, true, "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0, null, null, null, null,
                new Endpoint.Profile("99digital", null, null, null)));
        assertThat(store.endpoints().find(a.id(), first.id()).orElseThrow().profile().role()).isEqualTo(Endpoint.ROLE_DEFAULT);
        // Once the default is deleted, a new one may take its place.
        assertThat(store.endpoints().delete(a.id(), first.id(), T0)).isTrue();
        store.endpoints().insert(byDefault.apply(a, "99digital"));
        assertThat(store.endpoints().list(a.id())).hasSize(3);
    }

    @Test
    void partnersAreFoundByIdAndByKeyHash() {
        Partner p = partner("acme");
        assertThat(store.partners().find(p.id())).contains(p);
        assertThat(store.partners().findByApiKeyHash("hash-" + p.id().value(), T0)
                .map(io.partnerhooks.core.domain.KeyHolder::partner)).contains(p);
        assertThat(store.partners().findByApiKeyHash("nope", T0)).isEmpty();
    }

    @Test
    void endpointsAreScopedToTheirPartner() {
        Partner a = partner("a");
        Partner b = partner("b");
        Endpoint e = endpoint(a, true, "workspace.*");
        assertThat(store.endpoints().find(a.id(), e.id())).contains(e);
        assertThat(store.endpoints().find(b.id(), e.id())).isEmpty();
        assertThat(store.endpoints().list(b.id())).isEmpty();
        Endpoint changed = new Endpoint(e.id(), a.id(), "https://example.org/x", List.of("*"), null, false, e.secret(),
                e.createdAt(), T0.plusSeconds(1), null, null, null, null,
                new Endpoint.Profile("standard", java.util.Map.of("X-Api-Key", "k1", "X-Team", "t"), null, null));
        assertThat(store.endpoints().update(b.id(), changed)).isFalse();
        assertThat(store.endpoints().update(a.id(), changed)).isTrue();
        Endpoint read = store.endpoints().find(a.id(), e.id()).orElseThrow();
        assertThat(read).usingRecursiveComparison().ignoringFields("health").isEqualTo(changed);
        // disabled by the partner: since-when is noted, no reason of ours
        assertThat(read.health().disabledAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(read.health().disabledReason()).isNull();
        assertThat(store.endpoints().listEnabled(a.id())).isEmpty();
        assertThat(store.endpoints().delete(b.id(), e.id(), T0)).isFalse();
        assertThat(store.endpoints().delete(a.id(), e.id(), T0)).isTrue();
        assertThat(store.endpoints().find(a.id(), e.id())).isEmpty();
        assertThat(store.endpoints().delete(a.id(), e.id(), T0)).isFalse();
    }

    @Test
    void anEventAndItsDeliveriesAreWrittenTogetherAndReadBackExactly() {
        Partner p = partner("acme");
        Endpoint e1 = endpoint(p, true, "*");
        Endpoint e2 = endpoint(p, true, "workspace.*");
        Event ev = event(p, T0, null);
        Appended a = store.events().append(ev, deliveriesTo(e1, e2));
        assertThat(a).isEqualTo(new Appended(ev.id(), true));
        assertThat(store.events().find(p.id(), ev.id())).contains(ev.withSequence(1));
        List<Delivery> ds = store.events().deliveries(p.id(), ev.id());
        assertThat(ds).hasSize(2).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.attemptCount()).isZero();
            assertThat(d.nextAttemptAt()).isEqualTo(T0);
            assertThat(d.attempts()).isEmpty();
        });
        assertThat(ds).extracting(Delivery::endpointId).containsExactlyInAnyOrder(e1.id(), e2.id());
        Partner other = partner("other");
        assertThat(store.events().find(other.id(), ev.id())).isEmpty();
        assertThat(store.events().deliveries(other.id(), ev.id())).isEmpty();
    }

    /** ADR 15: the publish span's context is kept on both insert paths and read back by the claim. */
    @Test
    void anEventKeepsItsTraceContextOnEveryInsertPathAndTheClaimReadsIt() {
        Partner p = partner("traced");
        Endpoint plain = endpoint(p, true, "*");
        Endpoint traced = new Endpoint(new EndpointId(ids.next(Ids.ENDPOINT)), p.id(), "https://example.com/traced",
                List.of("*"), null, true, "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0, null, null, null, null,
                Endpoint.Profile.DEFAULT.withTraceContext(true));
        store.endpoints().insert(traced);
        assertThat(store.endpoints().find(p.id(), traced.id()).orElseThrow().profile().traceContext()).isTrue();
        assertThat(store.endpoints().find(p.id(), plain.id()).orElseThrow().profile().traceContext()).isFalse();
        String ctx = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nvendor=a,other=b";
        Event single = event(p, T0, null).withTraceContext(ctx);
        store.events().append(single, deliveriesTo(traced));
        Event batched = event(p, T0, null).withTraceContext(ctx.substring(0, 55));
        Event untraced = event(p, T0, null);
        store.events().appendAll(List.of(new EventStore.Append(batched, deliveriesTo(plain)),
                new EventStore.Append(untraced, deliveriesTo(plain))));
        assertThat(store.events().find(p.id(), single.id()).orElseThrow().traceContext()).isEqualTo(ctx);
        assertThat(store.events().find(p.id(), batched.id()).orElseThrow().traceContext()).isEqualTo(ctx.substring(0, 55));
        assertThat(store.events().find(p.id(), untraced.id()).orElseThrow().traceContext()).isNull();
        java.util.Map<EventId, Claimed> claimed = new java.util.HashMap<>();
        store.queue().claimDue(T0, 50, LEASE).forEach(c -> claimed.put(c.event().id(), c));
        assertThat(claimed.get(single.id()).event().traceContext()).isEqualTo(ctx);
        assertThat(claimed.get(single.id()).endpoint().profile().traceContext()).isTrue();
        assertThat(claimed.get(batched.id()).event().traceContext()).isEqualTo(ctx.substring(0, 55));
        assertThat(claimed.get(untraced.id()).event().traceContext()).isNull();
        // an update keeps it or switches it
        Endpoint off = new Endpoint(traced.id(), p.id(), traced.url(), traced.eventTypes(), null, true, traced.secret(), T0,
                T0.plusSeconds(1), null, null, null, null, traced.profile().withTraceContext(false));
        assertThat(store.endpoints().update(p.id(), off)).isTrue();
        assertThat(store.endpoints().find(p.id(), traced.id()).orElseThrow().profile().traceContext()).isFalse();
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstEventAndWritesNothingMore() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Event first = event(p, T0, "key-1");
        Event second = event(p, T0, "key-1");
        assertThat(store.events().append(first, deliveriesTo(e))).isEqualTo(new Appended(first.id(), true));
        assertThat(store.events().append(second, deliveriesTo(e))).isEqualTo(new Appended(first.id(), false));
        assertThat(store.events().find(p.id(), second.id())).isEmpty();
        assertThat(store.events().list(p.id(), 10, null).items()).hasSize(1);
        // the same key for another partner is another event
        Partner q = partner("q");
        Event third = event(q, T0, "key-1");
        assertThat(store.events().append(third, List.of()).created()).isTrue();
    }

    @Test
    void concurrentPublishesWithOneKeyMakeOneEvent() throws Exception {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Appended>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Event ev = event(p, T0, "same");
            List<NewDelivery> ds = deliveriesTo(e);
            results.add(pool.submit(() -> {
                go.await();
                return store.events().append(ev, ds);
            }));
        }
        go.countDown();
        Set<EventId> answered = new HashSet<>();
        int created = 0;
        for (Future<Appended> f : results) {
            Appended a = f.get();
            answered.add(a.id());
            created += a.created() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(created).isEqualTo(1);
        assertThat(answered).hasSize(1);
        assertThat(store.events().list(p.id(), 50, null).items()).hasSize(1);
        assertThat(store.queue().claimDue(T0, 100, LEASE)).hasSize(1);
    }

    @Test
    void eachSubjectNumbersItsEventsFromOneEvenUnderConcurrency() throws Exception {
        Partner p = partner("acme");
        Partner q = partner("other");
        int threads = 6;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String key = i % 2 == 0 ? "workspace_id:ws_1" : "channel_id:ch_9";
                    EventId id;
                    synchronized (ids) { // its SplittableRandom is not thread-safe: shared, it can repeat an id
                        id = new EventId(ids.next(Ids.EVENT));
                    }
                    Event ev = new Event(id, p.id(), "a.b", "{}", "{}", T0, null, key, 0);
                    store.events().append(ev, List.of());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        store.events().append(new Event(new EventId(ids.next(Ids.EVENT)), q.id(), "a.b", "{}", "{}", T0, null,
                "workspace_id:ws_1", 0), List.of());
        List<Event> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Event> page = store.events().list(p.id(), 250, cursor);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        for (String key : List.of("workspace_id:ws_1", "channel_id:ch_9")) {
            List<Long> seqs = all.stream().filter(e -> e.subjectKey().equals(key)).map(Event::sequence).sorted().toList();
            assertThat(seqs).hasSize(threads * perThread / 2);
            assertThat(seqs.get(0)).isEqualTo(1);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(seqs.size());
            assertThat(new HashSet<>(seqs)).hasSize(seqs.size());
        }
        assertThat(store.events().list(q.id(), 10, null).items().get(0).sequence()).isEqualTo(1);
    }

    @Test
    void eventsPageNewestFirstWithAStableCursor() {
        Partner p = partner("acme");
        List<EventId> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            IdGenerator later = new IdGenerator(Clock.fixed(T0.plusSeconds(i), ZoneOffset.UTC), new SplittableRandom(i));
            Event ev = new Event(new EventId(later.next(Ids.EVENT)), p.id(), "a.b", "{}", "{}", T0.plusSeconds(i), null);
            store.events().append(ev, List.of());
            made.add(ev.id());
        }
        Page<Event> first = store.events().list(p.id(), 3, null);
        Page<Event> second = store.events().list(p.id(), 3, first.nextCursor());
        Page<Event> third = store.events().list(p.id(), 3, second.nextCursor());
        List<EventId> seen = new ArrayList<>();
        for (Page<Event> page : List.of(first, second, third)) {
            page.items().forEach(ev -> seen.add(ev.id()));
        }
        assertThat(seen).containsExactlyElementsOf(made.reversed());
        assertThat(first.nextCursor()).isNotNull();
        assertThat(third.items()).hasSize(1);
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void aClaimLeasesOnlyDueRowsOfEnabledEndpoints() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Endpoint off = endpoint(p, false, "*");
        store.events().append(event(p, T0, null), deliveriesTo(on, off));
        store.events().append(event(p, T0.plusSeconds(30), null), deliveriesTo(on));

        assertThat(store.queue().claimDue(T0.minusSeconds(1), 10, LEASE)).isEmpty();
        List<Claimed> claimed = store.queue().claimDue(T0.plusSeconds(1), 10, LEASE);
        assertThat(claimed).hasSize(1);
        Claimed c = claimed.get(0);
        assertThat(c.endpoint()).isEqualTo(on);
        assertThat(c.event().dataJson()).isEqualTo("{\"seats\":5,\"note\":\"caf\u00e9\"}");
        assertThat(c.attemptsSoFar()).isZero();
        // leased: nobody else gets it until the lease runs out
        assertThat(store.queue().claimDue(T0.plusSeconds(2), 10, LEASE)).isEmpty();
        assertThat(store.queue().nextDueAt()).contains(T0.plusSeconds(30));
    }

    @Test
    void aRowWrittenLeasedIsNotClaimedUntilItsLeaseEndsAndItsInsertTokenCompletesIt() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event ev = event(p, T0, null);
        Instant until = T0.plus(LEASE);
        NewDelivery leased = deliveriesTo(on).get(0).leased("insert-token", until);
        NewDelivery plain = deliveriesTo(on).get(0);
        store.events().appendAll(List.of(new EventStore.Append(ev, List.of(leased)),
                new EventStore.Append(event(p, T0, null), List.of(plain))));
        // the node that wrote it is sending it: only the row without a lease is claimable now
        List<Claimed> now = store.queue().claimDue(T0.plusSeconds(1), 10, LEASE);
        assertThat(now).extracting(Claimed::id).containsExactly(plain.id());
        // that node crashed: once the lease ends, another node takes the row over
        List<Claimed> later = store.queue().claimDue(until, 10, LEASE);
        assertThat(later).extracting(Claimed::id).containsExactly(leased.id());
        assertThat(later.get(0).event().sequence()).isEqualTo(1);
        // the first node's completion no longer counts; the new lease's does
        assertThat(store.queue().complete(leased.id(), "insert-token", attempt(1, 200, null), new Next.Done(), until))
                .isFalse();
        assertThat(store.queue().complete(leased.id(), later.get(0).leaseToken(), attempt(1, 200, null), new Next.Done(),
                until)).isTrue();
    }

    @Test
    void aLeasedRowCompletesWithItsInsertToken() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event ev = event(p, T0, null);
        NewDelivery leased = deliveriesTo(on).get(0).leased("insert-token", T0.plus(LEASE));
        List<EventStore.Stored> stored = store.events().appendAll(List.of(new EventStore.Append(ev, List.of(leased))));
        assertThat(stored).containsExactly(new EventStore.Stored(ev.id(), true, 1));
        assertThat(store.queue().complete(leased.id(), "insert-token", attempt(1, 200, null), new Next.Done(), T0))
                .isTrue();
        Delivery d = store.events().deliveries(p.id(), ev.id()).get(0);
        assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.queue().claimDue(T0.plus(LEASE).plusSeconds(1), 10, LEASE)).isEmpty();
    }

    @Test
    void aMultiEventAppendIsAllOrNothingAndNumbersEachSubject() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event keyed = event(p, T0, "k1");
        Event again = event(p, T0, "k1");
        Event plain = event(p, T0, null);
        List<EventStore.Stored> stored = store.events().appendAll(List.of(new EventStore.Append(keyed, deliveriesTo(on)),
                new EventStore.Append(plain, deliveriesTo(on)), new EventStore.Append(again, deliveriesTo(on))));
        assertThat(stored).extracting(EventStore.Stored::id).containsExactly(keyed.id(), plain.id(), keyed.id());
        assertThat(stored).extracting(EventStore.Stored::created).containsExactly(true, true, false);
        assertThat(stored.get(0).sequence()).isNotEqualTo(stored.get(1).sequence());
        assertThat(store.events().deliveries(p.id(), again.id())).isEmpty();

        // a batch whose second event cannot be written leaves nothing of the first
        Event first = event(p, T0, null);
        Event broken = event(p, T0, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.events().appendAll(List.of(
                new EventStore.Append(first, deliveriesTo(on)),
                new EventStore.Append(broken, List.of(new NewDelivery(plainDeliveryIdOf(plain, p), on.id()))))))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.events().find(p.id(), first.id())).isEmpty();
        assertThat(store.events().find(p.id(), broken.id())).isEmpty();
    }

    /** The id of an existing delivery: reusing it makes an insert fail on the primary key. */
    private DeliveryId plainDeliveryIdOf(Event e, Partner p) {
        return store.events().deliveries(p.id(), e.id()).get(0).id();
    }

    @Test
    void aClaimTakesNoMoreOfAnEndpointThanItsShareAndSkipsExcludedEndpoints() {
        Partner p = partner("acme");
        Endpoint busy = endpoint(p, true, "*");
        Endpoint quiet = endpoint(p, true, "*");
        int share = 10 * io.partnerhooks.core.port.DeliveryQueue.ROWS_PER_SLOT;
        for (int i = 0; i < share + 5; i++) {
            store.events().append(event(p, T0, null), deliveriesTo(busy));
        }
        store.events().append(event(p, T0.plusSeconds(1), null), deliveriesTo(quiet));

        // the busy endpoint's rows are older, but a claim takes at most ROWS_PER_SLOT x its limit
        // (10 by default: the rows beyond its free slots wait on the claiming node), and the quiet
        // endpoint's row comes along in the same claim
        List<Claimed> first = store.queue().claimDue(T0.plusSeconds(5), 100, LEASE);
        assertThat(first).hasSize(share + 1);
        assertThat(first).filteredOn(c -> c.endpoint().id().equals(busy.id())).hasSize(share);
        assertThat(first).filteredOn(c -> c.endpoint().id().equals(quiet.id())).hasSize(1);
        // what an excluded endpoint has due stays where it is
        assertThat(store.queue().claimDue(T0.plusSeconds(6), 100, LEASE, Set.of(busy.id()))).isEmpty();
        assertThat(store.queue().claimDue(T0.plusSeconds(6), 100, LEASE)).hasSize(5)
                .allSatisfy(c -> assertThat(c.endpoint().id()).isEqualTo(busy.id()));
    }

    @Test
    void aClaimTakesNoMoreOfAnOrderedEndpointThanItsInFlightLimit() {
        Partner p = partner("acme");
        Endpoint ordered = new Endpoint(new EndpointId(ids.next(Ids.ENDPOINT)), p.id(), "https://example.com/ordered",
                List.of("*"), "desc", true, "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0,
                new Endpoint.Limits(2, null), Endpoint.Health.OK, null, null,
                Endpoint.Profile.DEFAULT.withOrdering(Endpoint.Profile.ORDERING_ORDERED));
        store.endpoints().insert(ordered);
        for (int i = 0; i < 6; i++) {
            store.events().append(event(p, T0, null), deliveriesTo(ordered));
        }
        List<Claimed> got = store.queue().claimDue(T0.plusSeconds(5), 100, LEASE);
        // an ordered endpoint's rows are not held on a node beyond its slots (ADR 11 decides their order)
        assertThat(got).hasSize(2).allSatisfy(c -> assertThat(c.endpoint().id()).isEqualTo(ordered.id()));
    }

    @Test
    void queueStatsCountHeldDeliveriesApartAndLeaveThemOutOfTheOldestSendable() {
        Partner p = partner("acme");
        Endpoint plain = endpoint(p, true, "*");
        Endpoint off = endpoint(p, false, "*");
        Endpoint cooling = endpoint(p, true, "*");
        Endpoint limited = new Endpoint(new EndpointId(ids.next(Ids.ENDPOINT)), p.id(), "https://example.com/limited",
                List.of("*"), "desc", true, "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", T0, T0,
                new Endpoint.Limits(10, 2), Endpoint.Health.OK, null, null, Endpoint.Profile.DEFAULT);
        store.endpoints().insert(limited);
        // one failed attempt puts the cooling endpoint in cooldown until T0 + 600 s
        store.events().append(event(p, T0, null), deliveriesTo(cooling));
        Claimed first = store.queue().claimDue(T0, 10, LEASE).get(0);
        Instant probeAt = T0.plusSeconds(600);
        assertThat(store.queue().complete(first.id(), first.leaseToken(), attempt(1, 500, null), new Next.RetryAt(T0),
                new io.partnerhooks.core.port.DeliveryQueue.EndpointReport.Failed((n, since, now) ->
                        new io.partnerhooks.core.model.HealthVerdict(probeAt, null)), T0)).isTrue();
        for (int i = 0; i < 2; i++) {
            store.events().append(event(p, T0, null), deliveriesTo(off, cooling, limited));
        }
        store.events().append(event(p, T0.plusSeconds(30), null), deliveriesTo(plain));
        store.events().append(event(p, T0.plusSeconds(3600), null), deliveriesTo(plain));

        var stats = store.queue().stats(T0.plusSeconds(60));
        assertThat(stats.pending()).isEqualTo(9);
        assertThat(stats.due()).isEqualTo(8);
        assertThat(stats.held()).isEqualTo(new io.partnerhooks.core.port.DeliveryQueue.Held(3, 2, 2));
        // the older rows all wait for their endpoint; the oldest that a sender could take is plain's
        assertThat(stats.oldestSendableAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(stats.endpointsInCooldown()).isEqualTo(1);
        assertThat(stats.endpointsDisabled()).isEqualTo(1);

        // once the probe is due, one row of the cooling endpoint may go: sendable since the probe time
        Instant later = T0.plusSeconds(700);
        Claimed plainRow = store.queue().claimDue(later, 10, LEASE, Set.of(off.id(), cooling.id(), limited.id())).get(0);
        assertThat(store.queue().complete(plainRow.id(), plainRow.leaseToken(), attempt(1, 200, null), new Next.Done(),
                later)).isTrue();
        stats = store.queue().stats(later);
        assertThat(stats.held()).isEqualTo(new io.partnerhooks.core.port.DeliveryQueue.Held(2, 2, 2));
        assertThat(stats.oldestSendableAt()).isEqualTo(probeAt);

        // nothing sendable: no age at all, however long the held rows have waited
        store.endpoints().delete(p.id(), cooling.id(), later);
        stats = store.queue().stats(later);
        assertThat(stats.oldestSendableAt()).isNull();
        assertThat(stats.held()).isEqualTo(new io.partnerhooks.core.port.DeliveryQueue.Held(0, 2, 2));
    }

    @Test
    void aCompletionCountsOnlyWithTheCurrentLeaseToken() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event ev = event(p, T0, null);
        store.events().append(ev, deliveriesTo(on));
        Claimed first = store.queue().claimDue(T0, 10, LEASE).get(0);
        // the first node stalls past its lease; another node takes the row over
        Claimed second = store.queue().claimDue(T0.plus(LEASE).plusSeconds(1), 10, LEASE).get(0);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());

        assertThat(store.queue().complete(first.id(), first.leaseToken(), attempt(1, 200, null), new Next.Done(), T0))
                .isFalse();
        Instant retryAt = T0.plusSeconds(120);
        assertThat(store.queue().complete(second.id(), second.leaseToken(), attempt(1, 500, null),
                new Next.RetryAt(retryAt), T0.plusSeconds(62))).isTrue();
        // a token is good for one completion only
        assertThat(store.queue().complete(second.id(), second.leaseToken(), attempt(2, 200, null), new Next.Done(),
                T0.plusSeconds(63))).isFalse();

        Delivery d = store.events().deliveries(p.id(), ev.id()).get(0);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attemptCount()).isEqualTo(1);
        assertThat(d.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(d.attempts()).hasSize(1);
        assertThat(d.attempts().get(0).httpStatus()).isEqualTo(500);

        assertThat(store.queue().claimDue(retryAt.minusSeconds(1), 10, LEASE)).isEmpty();
        Claimed third = store.queue().claimDue(retryAt, 10, LEASE).get(0);
        assertThat(third.attemptsSoFar()).isEqualTo(1);
        assertThat(store.queue().complete(third.id(), third.leaseToken(), attempt(2, null, "timeout"),
                new Next.GiveUp(), retryAt.plusSeconds(15))).isTrue();
        Delivery failed = store.events().deliveries(p.id(), ev.id()).get(0);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(failed.attempts().get(1).errorClass()).isEqualTo("timeout");
        assertThat(failed.attempts().get(1).httpStatus()).isNull();
        assertThat(store.queue().claimDue(retryAt.plusSeconds(3600), 10, LEASE)).isEmpty();
        assertThat(store.queue().nextDueAt()).isEmpty();
    }

    @Test
    void deletingAnEndpointFailsItsPendingDeliveries() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Event ev = event(p, T0, null);
        store.events().append(ev, deliveriesTo(e));
        store.endpoints().delete(p.id(), e.id(), T0);
        assertThat(store.events().deliveries(p.id(), ev.id())).extracting(Delivery::status)
                .containsExactly(DeliveryStatus.FAILED);
        assertThat(store.queue().claimDue(T0.plusSeconds(10), 10, LEASE)).isEmpty();
    }

    @Test
    void concurrentClaimersNeverShareADelivery() throws Exception {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        int events = 300;
        for (int i = 0; i < events; i++) {
            store.events().append(event(p, T0, null), deliveriesTo(e));
        }
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        ConcurrentHashMap<DeliveryId, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            tasks.add(() -> {
                while (true) {
                    List<Claimed> batch = store.queue().claimDue(T0.plusSeconds(1), 17, LEASE);
                    if (batch.isEmpty()) {
                        return null;
                    }
                    for (Claimed c : batch) {
                        if (seen.put(c.id(), 1) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
            f.get();
        }
        pool.shutdown();
        assertThat(duplicates.get()).isZero();
        assertThat(seen).hasSize(events);
    }
}
