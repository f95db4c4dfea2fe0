package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.EventStore.Appended;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
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
        store.partners()
                .insert(
                        p,
                        new ApiKey(new ApiKeyId(ids.next(Ids.API_KEY)), p.id(), "phk_", T0, null, null),
                        "hash-" + p.id().value());
        return p;
    }

    private Endpoint endpoint(Partner p, boolean enabled, String... types) {
        Endpoint e = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/" + p.name(),
                List.of(types),
                "desc",
                enabled,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0);
        store.endpoints().insert(e);
        return e;
    }

    private Event event(Partner p, Instant at, String key) {
        return new Event(
                new EventId(ids.next(Ids.EVENT)),
                p.id(),
                "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}",
                "{\"seats\":5,\"note\":\"caf\u00e9\"}",
                at,
                key);
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
        Event ev = new Event(
                new EventId(ids.next(Ids.EVENT)),
                p.id(),
                "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}",
                "{\"seats\":5}",
                at,
                null,
                key,
                0);
        return new EventStore.Append(
                ev, List.of(new NewDelivery(new DeliveryId(ids.next(Ids.DELIVERY)), e.id()).orderedBy(key)));
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
        Claimed h1 =
                heads.stream().filter(c -> c.id().equals(only(k1))).findFirst().orElseThrow();
        Claimed o = heads.stream()
                .filter(c -> c.id().equals(only(other)))
                .findFirst()
                .orElseThrow();
        assertThat(store.queue().complete(o.id(), o.leaseToken(), attempt(1, 200, null), new Next.Done(), T0))
                .isTrue();

        // a retry outcome keeps the head; the rest of its key still waits
        assertThat(store.queue()
                        .complete(
                                h1.id(),
                                h1.leaseToken(),
                                attempt(1, 500, null),
                                new Next.RetryAt(T0.plusSeconds(1)),
                                T0))
                .isTrue();
        assertThat(claimIds(T0.plusSeconds(2))).containsExactly(only(k1));
        // that claim's node "dies": once its lease ends, the head is due again for anyone
        Claimed again = store.queue().claimDue(T0.plusSeconds(200), 50, LEASE).get(0);
        assertThat(again.id()).isEqualTo(only(k1));
        // finally failed: the next of the key goes on
        assertThat(store.queue()
                        .complete(
                                again.id(),
                                again.leaseToken(),
                                attempt(2, 500, null),
                                new Next.GiveUp(),
                                T0.plusSeconds(200)))
                .isTrue();
        Claimed h2 = claimOne(T0.plusSeconds(200), only(k2));
        assertThat(store.events().delivery(p.id(), only(k2)).orElseThrow().heldBy())
                .isNull();

        // the partner retries the failed one while its successor is being sent: it waits behind it
        assertThat(store.queue().retryNow(p.id(), only(k1), T0.plusSeconds(201)))
                .isEqualTo(DeliveryQueue.RetryResult.QUEUED);
        assertThat(store.events().delivery(p.id(), only(k1)).orElseThrow().heldBy())
                .isEqualTo(only(k2));
        assertThat(claimIds(T0.plusSeconds(201))).isEmpty();
        assertThat(store.queue()
                        .complete(
                                h2.id(), h2.leaseToken(), attempt(1, 200, null), new Next.Done(), T0.plusSeconds(202)))
                .isTrue();
        Claimed r1 = claimOne(T0.plusSeconds(202), only(k1));
        // a resend of a delivered one joins its key behind the head being sent
        var resent =
                store.queue().resend(p.id(), only(k2), new DeliveryId(ids.next(Ids.DELIVERY)), T0.plusSeconds(202));
        assertThat(resent.result()).isEqualTo(DeliveryQueue.RetryResult.QUEUED);
        assertThat(store.events().delivery(p.id(), resent.id()).orElseThrow().heldBy())
                .isEqualTo(only(k1));
        assertThat(claimIds(T0.plusSeconds(202))).isEmpty();
        assertThat(store.queue()
                        .complete(
                                r1.id(), r1.leaseToken(), attempt(3, 200, null), new Next.Done(), T0.plusSeconds(203)))
                .isTrue();
        Claimed copy = claimOne(T0.plusSeconds(203), resent.id());
        assertThat(store.queue()
                        .complete(
                                copy.id(),
                                copy.leaseToken(),
                                attempt(1, 200, null),
                                new Next.Done(),
                                T0.plusSeconds(204)))
                .isTrue();

        // several of one key in one commit: the first is the head, the rest are held in order (these fail)
        EventStore.Append b1 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        EventStore.Append b2 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        EventStore.Append b3 = ordered(p, ep, "workspace_id:ws_b", T0.plusSeconds(300));
        store.events().appendAll(List.of(b1, b2, b3));
        Claimed c1 = claimOne(T0.plusSeconds(300), only(b1));
        assertThat(store.queue()
                        .complete(
                                c1.id(),
                                c1.leaseToken(),
                                attempt(1, 500, null),
                                new Next.GiveUp(),
                                T0.plusSeconds(301)))
                .isTrue();
        Claimed c2 = claimOne(T0.plusSeconds(301), only(b2));
        assertThat(store.events().delivery(p.id(), only(b3)).orElseThrow().heldBy())
                .isEqualTo(only(b2));
        assertThat(store.queue()
                        .complete(
                                c2.id(),
                                c2.leaseToken(),
                                attempt(1, 500, null),
                                new Next.GiveUp(),
                                T0.plusSeconds(302)))
                .isTrue();
        Claimed c3 = claimOne(T0.plusSeconds(302), only(b3));
        assertThat(store.queue()
                        .complete(
                                c3.id(),
                                c3.leaseToken(),
                                attempt(1, 500, null),
                                new Next.GiveUp(),
                                T0.plusSeconds(303)))
                .isTrue();

        // each finally failed one let the next go; requeued (a re-enabled endpoint), they come back in
        // their order, one at a time
        assertThat(store.queue().requeueFailed(p.id(), ep.id(), T0.plusSeconds(299), T0.plusSeconds(305)))
                .isEqualTo(3);
        List<DeliveryId> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Claimed> got = store.queue().claimDue(T0.plusSeconds(305 + i), 50, LEASE);
            assertThat(got).hasSize(1);
            order.add(got.get(0).id());
            assertThat(store.queue()
                            .complete(
                                    got.get(0).id(),
                                    got.get(0).leaseToken(),
                                    attempt(3, 200, null),
                                    new Next.Done(),
                                    T0.plusSeconds(305 + i)))
                    .isTrue();
        }
        assertThat(order).containsExactly(only(b1), only(b2), only(b3));
    }

    @Test
    void aPartnerHasAtMostOneDefaultEndpointPerFormat() {
        Partner a = partner("a");
        Partner b = partner("b");
        BiFunction<Partner, String, Endpoint> byDefault = (p, format) -> new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/d",
                List.of("*"),
                null,
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                null,
                null,
                null,
                null,
                new Endpoint.Profile(format, null, null, Endpoint.ROLE_DEFAULT));
        Endpoint first = byDefault.apply(a, "99digital");
        store.endpoints().insert(first);
        Assertions.assertThatThrownBy(() -> store.endpoints().insert(byDefault.apply(a, "99digital")))
                .isInstanceOf(RuntimeException.class);
        // Another format, another partner, or an ordinary endpoint of the same format: all fine.
        store.endpoints().insert(byDefault.apply(a, "360dialog"));
        store.endpoints().insert(byDefault.apply(b, "99digital"));
        store.endpoints()
                .insert(new Endpoint(
                        new EndpointId(ids.next(Ids.ENDPOINT)),
                        a.id(),
                        "https://example.com/o",
                        List.of("*"),
                        null,
                        true,
                        "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                        T0,
                        T0,
                        null,
                        null,
                        null,
                        null,
                        new Endpoint.Profile("99digital", null, null, null)));
        assertThat(store.endpoints()
                        .find(a.id(), first.id())
                        .orElseThrow()
                        .profile()
                        .role())
                .isEqualTo(Endpoint.ROLE_DEFAULT);
        // Once the default is deleted, a new one may take its place.
        assertThat(store.endpoints().delete(a.id(), first.id(), T0)).isTrue();
        store.endpoints().insert(byDefault.apply(a, "99digital"));
        assertThat(store.endpoints().list(a.id())).hasSize(3);
    }

    @Test
    void partnersAreFoundByIdAndByKeyHash() {
        Partner p = partner("acme");
        assertThat(store.partners().find(p.id())).contains(p);
        assertThat(store.partners()
                        .findByApiKeyHash("hash-" + p.id().value(), T0)
                        .map(KeyHolder::partner))
                .contains(p);
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
        Endpoint changed = new Endpoint(
                e.id(),
                a.id(),
                "https://example.org/x",
                List.of("*"),
                null,
                false,
                e.secret(),
                e.createdAt(),
                T0.plusSeconds(1),
                null,
                null,
                null,
                null,
                new Endpoint.Profile("standard", Map.of("X-Api-Key", "k1", "X-Team", "t"), null, null));
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
        Endpoint traced = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/traced",
                List.of("*"),
                null,
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                null,
                null,
                null,
                null,
                Endpoint.Profile.DEFAULT.withTraceContext(true));
        store.endpoints().insert(traced);
        assertThat(store.endpoints()
                        .find(p.id(), traced.id())
                        .orElseThrow()
                        .profile()
                        .traceContext())
                .isTrue();
        assertThat(store.endpoints()
                        .find(p.id(), plain.id())
                        .orElseThrow()
                        .profile()
                        .traceContext())
                .isFalse();
        String ctx = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nvendor=a,other=b";
        Event single = event(p, T0, null).withTraceContext(ctx);
        store.events().append(single, deliveriesTo(traced));
        Event batched = event(p, T0, null).withTraceContext(ctx.substring(0, 55));
        Event untraced = event(p, T0, null);
        store.events()
                .appendAll(List.of(
                        new EventStore.Append(batched, deliveriesTo(plain)),
                        new EventStore.Append(untraced, deliveriesTo(plain))));
        assertThat(store.events().find(p.id(), single.id()).orElseThrow().traceContext())
                .isEqualTo(ctx);
        assertThat(store.events().find(p.id(), batched.id()).orElseThrow().traceContext())
                .isEqualTo(ctx.substring(0, 55));
        assertThat(store.events().find(p.id(), untraced.id()).orElseThrow().traceContext())
                .isNull();
        Map<EventId, Claimed> claimed = new HashMap<>();
        store.queue().claimDue(T0, 50, LEASE).forEach(c -> claimed.put(c.event().id(), c));
        assertThat(claimed.get(single.id()).event().traceContext()).isEqualTo(ctx);
        assertThat(claimed.get(single.id()).endpoint().profile().traceContext()).isTrue();
        assertThat(claimed.get(batched.id()).event().traceContext()).isEqualTo(ctx.substring(0, 55));
        assertThat(claimed.get(untraced.id()).event().traceContext()).isNull();
        // an update keeps it or switches it
        Endpoint off = new Endpoint(
                traced.id(),
                p.id(),
                traced.url(),
                traced.eventTypes(),
                null,
                true,
                traced.secret(),
                T0,
                T0.plusSeconds(1),
                null,
                null,
                null,
                null,
                traced.profile().withTraceContext(false));
        assertThat(store.endpoints().update(p.id(), off)).isTrue();
        assertThat(store.endpoints()
                        .find(p.id(), traced.id())
                        .orElseThrow()
                        .profile()
                        .traceContext())
                .isFalse();
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
        store.events()
                .append(
                        new Event(
                                new EventId(ids.next(Ids.EVENT)),
                                q.id(),
                                "a.b",
                                "{}",
                                "{}",
                                T0,
                                null,
                                "workspace_id:ws_1",
                                0),
                        List.of());
        List<Event> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Event> page = store.events().list(p.id(), 250, cursor);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        for (String key : List.of("workspace_id:ws_1", "channel_id:ch_9")) {
            List<Long> seqs = all.stream()
                    .filter(e -> e.subjectKey().equals(key))
                    .map(Event::sequence)
                    .sorted()
                    .toList();
            assertThat(seqs).hasSize(threads * perThread / 2);
            assertThat(seqs.get(0)).isEqualTo(1);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(seqs.size());
            assertThat(new HashSet<>(seqs)).hasSize(seqs.size());
        }
        assertThat(store.events().list(q.id(), 10, null).items().get(0).sequence())
                .isEqualTo(1);
    }

    @Test
    void eventsPageNewestFirstWithAStableCursor() {
        Partner p = partner("acme");
        List<EventId> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            IdGenerator later =
                    new IdGenerator(Clock.fixed(T0.plusSeconds(i), ZoneOffset.UTC), new SplittableRandom(i));
            Event ev =
                    new Event(new EventId(later.next(Ids.EVENT)), p.id(), "a.b", "{}", "{}", T0.plusSeconds(i), null);
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
        store.events()
                .appendAll(List.of(
                        new EventStore.Append(ev, List.of(leased)),
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
        assertThat(store.queue()
                        .complete(
                                leased.id(), later.get(0).leaseToken(), attempt(1, 200, null), new Next.Done(), until))
                .isTrue();
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
        assertThat(store.queue().claimDue(T0.plus(LEASE).plusSeconds(1), 10, LEASE))
                .isEmpty();
    }

    @Test
    void aMultiEventAppendIsAllOrNothingAndNumbersEachSubject() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event keyed = event(p, T0, "k1");
        Event again = event(p, T0, "k1");
        Event plain = event(p, T0, null);
        List<EventStore.Stored> stored = store.events()
                .appendAll(List.of(
                        new EventStore.Append(keyed, deliveriesTo(on)),
                        new EventStore.Append(plain, deliveriesTo(on)),
                        new EventStore.Append(again, deliveriesTo(on))));
        assertThat(stored).extracting(EventStore.Stored::id).containsExactly(keyed.id(), plain.id(), keyed.id());
        assertThat(stored).extracting(EventStore.Stored::created).containsExactly(true, true, false);
        assertThat(stored.get(0).sequence()).isNotEqualTo(stored.get(1).sequence());
        assertThat(store.events().deliveries(p.id(), again.id())).isEmpty();

        // a batch whose second event cannot be written leaves nothing of the first
        Event first = event(p, T0, null);
        Event broken = event(p, T0, null);
        Assertions.assertThatThrownBy(() -> store.events()
                        .appendAll(List.of(
                                new EventStore.Append(first, deliveriesTo(on)),
                                new EventStore.Append(
                                        broken, List.of(new NewDelivery(plainDeliveryIdOf(plain, p), on.id()))))))
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
        int share = 10 * DeliveryQueue.ROWS_PER_SLOT;
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
        assertThat(store.queue().claimDue(T0.plusSeconds(6), 100, LEASE, Set.of(busy.id())))
                .isEmpty();
        assertThat(store.queue().claimDue(T0.plusSeconds(6), 100, LEASE))
                .hasSize(5)
                .allSatisfy(c -> assertThat(c.endpoint().id()).isEqualTo(busy.id()));
    }

    @Test
    void aClaimTakesNoMoreOfAnOrderedEndpointThanItsInFlightLimit() {
        Partner p = partner("acme");
        Endpoint ordered = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/ordered",
                List.of("*"),
                "desc",
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                new Endpoint.Limits(2, null),
                Endpoint.Health.OK,
                null,
                null,
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
        Endpoint limited = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/limited",
                List.of("*"),
                "desc",
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                new Endpoint.Limits(10, 2),
                Endpoint.Health.OK,
                null,
                null,
                Endpoint.Profile.DEFAULT);
        store.endpoints().insert(limited);
        // one failed attempt puts the cooling endpoint in cooldown until T0 + 600 s
        store.events().append(event(p, T0, null), deliveriesTo(cooling));
        Claimed first = store.queue().claimDue(T0, 10, LEASE).get(0);
        Instant probeAt = T0.plusSeconds(600);
        assertThat(store.queue()
                        .complete(
                                first.id(),
                                first.leaseToken(),
                                attempt(1, 500, null),
                                new Next.RetryAt(T0),
                                new DeliveryQueue.EndpointReport.Failed(
                                        (n, since, now) -> new HealthVerdict(probeAt, null)),
                                T0))
                .isTrue();
        for (int i = 0; i < 2; i++) {
            store.events().append(event(p, T0, null), deliveriesTo(off, cooling, limited));
        }
        store.events().append(event(p, T0.plusSeconds(30), null), deliveriesTo(plain));
        store.events().append(event(p, T0.plusSeconds(3600), null), deliveriesTo(plain));

        var stats = store.queue().stats(T0.plusSeconds(60));
        assertThat(stats.pending()).isEqualTo(9);
        assertThat(stats.due()).isEqualTo(8);
        assertThat(stats.held()).isEqualTo(new DeliveryQueue.Held(3, 2, 2));
        // the older rows all wait for their endpoint; the oldest that a sender could take is plain's
        assertThat(stats.oldestSendableAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(stats.endpointsInCooldown()).isEqualTo(1);
        assertThat(stats.endpointsDisabled()).isEqualTo(1);

        // once the probe is due, one row of the cooling endpoint may go: sendable since the probe time
        Instant later = T0.plusSeconds(700);
        Claimed plainRow = store.queue()
                .claimDue(later, 10, LEASE, Set.of(off.id(), cooling.id(), limited.id()))
                .get(0);
        assertThat(store.queue()
                        .complete(plainRow.id(), plainRow.leaseToken(), attempt(1, 200, null), new Next.Done(), later))
                .isTrue();
        stats = store.queue().stats(later);
        assertThat(stats.held()).isEqualTo(new DeliveryQueue.Held(2, 2, 2));
        assertThat(stats.oldestSendableAt()).isEqualTo(probeAt);

        // nothing sendable: no age at all, however long the held rows have waited
        store.endpoints().delete(p.id(), cooling.id(), later);
        stats = store.queue().stats(later);
        assertThat(stats.oldestSendableAt()).isNull();
        assertThat(stats.held()).isEqualTo(new DeliveryQueue.Held(0, 2, 2));
    }

    @Test
    void aCompletionCountsOnlyWithTheCurrentLeaseToken() {
        Partner p = partner("acme");
        Endpoint on = endpoint(p, true, "*");
        Event ev = event(p, T0, null);
        store.events().append(ev, deliveriesTo(on));
        Claimed first = store.queue().claimDue(T0, 10, LEASE).get(0);
        // the first node stalls past its lease; another node takes the row over
        Claimed second =
                store.queue().claimDue(T0.plus(LEASE).plusSeconds(1), 10, LEASE).get(0);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());

        assertThat(store.queue().complete(first.id(), first.leaseToken(), attempt(1, 200, null), new Next.Done(), T0))
                .isFalse();
        Instant retryAt = T0.plusSeconds(120);
        assertThat(store.queue()
                        .complete(
                                second.id(),
                                second.leaseToken(),
                                attempt(1, 500, null),
                                new Next.RetryAt(retryAt),
                                T0.plusSeconds(62)))
                .isTrue();
        // a token is good for one completion only
        assertThat(store.queue()
                        .complete(
                                second.id(),
                                second.leaseToken(),
                                attempt(2, 200, null),
                                new Next.Done(),
                                T0.plusSeconds(63)))
                .isFalse();

        Delivery d = store.events().deliveries(p.id(), ev.id()).get(0);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attemptCount()).isEqualTo(1);
        assertThat(d.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(d.attempts()).hasSize(1);
        assertThat(d.attempts().get(0).httpStatus()).isEqualTo(500);

        assertThat(store.queue().claimDue(retryAt.minusSeconds(1), 10, LEASE)).isEmpty();
        Claimed third = store.queue().claimDue(retryAt, 10, LEASE).get(0);
        assertThat(third.attemptsSoFar()).isEqualTo(1);
        assertThat(store.queue()
                        .complete(
                                third.id(),
                                third.leaseToken(),
                                attempt(2, null, "timeout"),
                                new Next.GiveUp(),
                                retryAt.plusSeconds(15)))
                .isTrue();
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
        assertThat(store.events().deliveries(p.id(), ev.id()))
                .extracting(Delivery::status)
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

    // ---- the other stores: audit, entities, Meta's inbox, portal links, replays, retention, stream, workspaces

    private int idSeed = 1000;

    /** An id made at {@code at}: ids sort by the time they were made, so these sort like their events. */
    private String idAt(String prefix, Instant at) {
        return new IdGenerator(Clock.fixed(at, ZoneOffset.UTC), new SplittableRandom(idSeed++)).next(prefix);
    }

    private Event eventOf(Partner p, String type, String workspaceId, Instant at) {
        return new Event(
                new EventId(idAt(Ids.EVENT, at)),
                p.id(),
                type,
                "{\"workspace_id\":\"" + workspaceId + "\"}",
                "{}",
                at,
                null);
    }

    private Claimed claimedFor(List<Claimed> claimed, Event e) {
        return claimed.stream()
                .filter(c -> c.event().id().equals(e.id()))
                .findFirst()
                .orElseThrow();
    }

    private AuditEntry audit(Partner p, String action, Instant at) {
        return new AuditEntry(
                idAt("aud_", at),
                p == null ? null : p.id().value(),
                p == null ? AuditEntry.OPERATOR : AuditEntry.PARTNER,
                p == null ? "operator" : p.id().value(),
                action,
                "endpoint",
                "ep_1",
                "{\"url\":\"https://a.example\"}",
                null,
                at);
    }

    @Test
    void theAuditLogReadsNewestFirstPerPartnerWithItsFiltersAndACursor() {
        Partner a = partner("acme");
        Partner b = partner("bolt");
        AuditEntry created = audit(a, "endpoint.created", T0);
        AuditEntry other = audit(b, "endpoint.created", T0.plusSeconds(5));
        AuditEntry updated = audit(a, "endpoint.updated", T0.plusSeconds(10));
        AuditEntry deleted = audit(a, "endpoint.deleted", T0.plusSeconds(20));
        AuditEntry operator = audit(null, "partner.created", T0.plusSeconds(30));
        for (AuditEntry e : List.of(created, other, updated, deleted, operator)) {
            store.audit().append(e);
        }
        AuditFilter all = new AuditFilter(null, null, null);

        Page<AuditEntry> first = store.audit().list(a.id(), all, 2, null);
        assertThat(first.items()).containsExactly(deleted, updated);
        Page<AuditEntry> second = store.audit().list(a.id(), all, 2, first.nextCursor());
        assertThat(second.items()).containsExactly(created);
        assertThat(second.nextCursor()).isNull();
        assertThat(store.audit().list(b.id(), all, 10, null).items()).containsExactly(other);
        assertThat(store.audit()
                        .list(a.id(), new AuditFilter("endpoint.created", null, null), 10, null)
                        .items())
                .containsExactly(created);
        // since is inclusive, until exclusive
        assertThat(store.audit()
                        .list(a.id(), new AuditFilter(null, T0.plusSeconds(10), T0.plusSeconds(20)), 10, null)
                        .items())
                .containsExactly(updated);
        // the operator sees every partner's entries and its own, in the order they were written
        assertThat(store.audit().listAll(all, 10, null).items())
                .containsExactly(operator, deleted, updated, other, created);
        Page<AuditEntry> top = store.audit().listAll(all, 4, null);
        assertThat(store.audit().listAll(all, 4, top.nextCursor()).items()).containsExactly(created);
    }

    @Test
    void aPortalLinkOpensOnceAndOnlyBeforeItExpires() throws Exception {
        Partner p = partner("acme");
        store.portalLinks().insert("hash-1", p.id(), true, T0, T0.plusSeconds(600));
        store.portalLinks().insert("hash-2", p.id(), false, T0, T0.plusSeconds(60));
        assertThat(store.portalLinks().check("hash-1", T0.plusSeconds(1))).isNull();
        assertThat(store.portalLinks().check("nope", T0)).isEqualTo(PortalLink.Refusal.UNKNOWN);
        assertThat(store.portalLinks().redeem("nope", T0))
                .isEqualTo(new PortalLink.Redemption(null, PortalLink.Refusal.UNKNOWN));
        // at its expiry the link no longer opens, and the refusal uses nothing up
        assertThat(store.portalLinks().check("hash-2", T0.plusSeconds(60))).isEqualTo(PortalLink.Refusal.EXPIRED);
        assertThat(store.portalLinks().redeem("hash-2", T0.plusSeconds(60)))
                .isEqualTo(new PortalLink.Redemption(null, PortalLink.Refusal.EXPIRED));
        assertThat(store.portalLinks().check("hash-2", T0.plusSeconds(59))).isNull();

        // racing redemptions: exactly one opens the link
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PortalLink.Redemption>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return store.portalLinks().redeem("hash-1", T0.plusSeconds(2));
            }));
        }
        start.countDown();
        List<PortalLink.Redemption> got = new ArrayList<>();
        for (Future<PortalLink.Redemption> f : results) {
            got.add(f.get());
        }
        pool.shutdown();
        assertThat(got)
                .filteredOn(r -> r.link() != null)
                .containsExactly(new PortalLink.Redemption(new PortalLink(p.id(), true), null));
        assertThat(got)
                .filteredOn(r -> r.link() == null)
                .extracting(PortalLink.Redemption::refusal)
                .containsOnly(PortalLink.Refusal.USED)
                .hasSize(racers - 1);
        assertThat(store.portalLinks().check("hash-1", T0.plusSeconds(3))).isEqualTo(PortalLink.Refusal.USED);
        assertThat(store.portalLinks().redeem("hash-2", T0.plusSeconds(3)).link())
                .isEqualTo(new PortalLink(p.id(), false));
    }

    private static String channelState(String id, String number, String waba) {
        return "{\"id\":\"" + id + "\",\"phone_number_id\":\"" + number + "\",\"waba_account\":{\"id\":\"" + waba
                + "\"}}";
    }

    private static EntityStore.Step becomes(Entity next, List<EntityStore.Emission> emit, EntityStore.Claim... claims) {
        return current -> current.isPresent() && current.get().equals(next)
                ? EntityStore.Outcome.unchanged()
                : new EntityStore.Outcome(next, emit, List.of(claims));
    }

    @Test
    void anEntityChangesTogetherWithItsEventsAndARepeatedStateIsANoOp() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Entity channel = new Entity("channel", "ch_1", p.id().value(), channelState("ch_1", "pn_1", "waba_1"));
        Event ev = event(p, T0, null);
        List<EntityStore.Emission> emit = List.of(new EntityStore.Emission(ev, deliveriesTo(e)));

        assertThat(store.entities().change("channel", "ch_1", becomes(channel, emit), T0))
                .containsExactly(ev.withSequence(1));
        assertThat(store.entities().findAny("channel", "ch_1")).contains(channel);
        assertThat(store.events().find(p.id(), ev.id())).contains(ev.withSequence(1));
        assertThat(claimIds(T0))
                .containsExactly(
                        store.events().deliveries(p.id(), ev.id()).get(0).id());
        // the same report again: nothing changes and nothing more is written
        assertThat(store.entities().change("channel", "ch_1", becomes(channel, emit), T0.plusSeconds(1)))
                .isEmpty();
        assertThat(store.events().list(p.id(), 10, null).items()).hasSize(1);

        assertThat(store.entities().channelByPhoneNumberId("pn_1")).contains(channel);
        assertThat(store.entities().channelByPhoneNumberId("pn_2")).isEmpty();
        assertThat(store.metaInbox().channelByPhoneNumberId("pn_1")).contains(channel);
        assertThat(store.metaInbox().channelByWabaId("waba_1")).contains(channel);
        assertThat(store.metaInbox().channelByWabaId("waba_2")).isEmpty();

        // a step that refuses leaves nothing behind
        Assertions.assertThatThrownBy(() -> store.entities()
                        .change(
                                "channel",
                                "ch_0",
                                current -> {
                                    throw new IllegalStateException("refused");
                                },
                                T0))
                .hasMessageContaining("refused");
        assertThat(store.entities().findAny("channel", "ch_0")).isEmpty();

        for (String id : List.of("ch_2", "ch_3")) {
            store.entities()
                    .change(
                            "channel",
                            id,
                            becomes(
                                    new Entity("channel", id, p.id().value(), channelState(id, "pn_" + id, "waba_1")),
                                    List.of()),
                            T0);
        }
        assertThat(store.entities().list(p.id(), "channel", 2, null))
                .extracting(Entity::id)
                .containsExactly("ch_1", "ch_2");
        assertThat(store.entities().list(p.id(), "channel", 2, "ch_2"))
                .extracting(Entity::id)
                .containsExactly("ch_3");
        assertThat(store.entities().list(p.id(), "client", 10, null)).isEmpty();
        assertThat(store.entities().list(partner("bolt").id(), "channel", 10, null))
                .isEmpty();
    }

    @Test
    void aClaimedValueAndAMetaPhoneNumberIdEachHaveOneOwner() {
        Partner a = partner("acme");
        Partner b = partner("bolt");
        EntityStore.Claim waba = new EntityStore.Claim("waba_id", "waba_1");
        store.entities()
                .change(
                        "channel",
                        "ch_a",
                        becomes(
                                new Entity("channel", "ch_a", a.id().value(), channelState("ch_a", "pn_1", "waba_1")),
                                List.of(),
                                waba),
                        T0);
        assertThat(store.entities().claimHolder("waba_id", "waba_1")).contains(a.id().value());
        assertThat(store.entities().claimHolder("waba_id", "waba_2")).isEmpty();

        // another partner's entity claiming the value is refused, naming it, and none of it is written
        Assertions.assertThatThrownBy(() -> store.entities()
                        .change(
                                "client",
                                "cl_b",
                                becomes(new Entity("client", "cl_b", b.id().value(), "{}"), List.of(), waba),
                                T0))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.field()).isEqualTo("waba_id"));
        assertThat(store.entities().findAny("client", "cl_b")).isEmpty();
        // its holder may claim it again from another entity
        store.entities()
                .change(
                        "client",
                        "cl_a",
                        becomes(new Entity("client", "cl_a", a.id().value(), "{}"), List.of(), waba),
                        T0);
        assertThat(store.entities().findAny("client", "cl_a")).isPresent();

        // a second channel with the same Meta phone number id
        Assertions.assertThatThrownBy(() -> store.entities()
                        .change(
                                "channel",
                                "ch_b",
                                becomes(
                                        new Entity(
                                                "channel",
                                                "ch_b",
                                                a.id().value(),
                                                channelState("ch_b", "pn_1", "waba_1")),
                                        List.of()),
                                T0))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.field()).isEqualTo("phone_number_id"));
        assertThat(store.entities().findAny("channel", "ch_b")).isEmpty();
    }

    private static InboxCallback callback(String id, Instant at, InboxCallback.Status status) {
        return new InboxCallback(
                id,
                at,
                "{\"object\":\"whatsapp_business_account\"}",
                status,
                1,
                0,
                0,
                status == InboxCallback.Status.ROUTED ? 0 : 1);
    }

    @Test
    void aMetaCallbackRelaysEachMessageOnceAndKeepsTheCallbacksThatFoundNoChannel() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Event relay = event(p, T0, null);
        MetaInbox.Saved first = store.metaInbox()
                .save(
                        callback("cb_1", T0, InboxCallback.Status.ROUTED),
                        List.of(new MetaInbox.Relay("ch_1", List.of("wamid.1"), relay, deliveriesTo(e))),
                        List.of());
        assertThat(first.events()).containsExactly(relay.withSequence(1));
        assertThat(first.relayed()).isEqualTo(1);
        assertThat(first.duplicates()).isZero();
        assertThat(store.events().deliveries(p.id(), relay.id())).hasSize(1);

        // Meta sends the message again, with a new one: only the new one goes out
        Event again = event(p, T0.plusSeconds(1), null);
        Event fresh = event(p, T0.plusSeconds(1), null);
        MetaInbox.Saved second = store.metaInbox()
                .save(
                        callback("cb_2", T0.plusSeconds(1), InboxCallback.Status.PARTIAL),
                        List.of(
                                new MetaInbox.Relay("ch_1", List.of("wamid.1"), again, deliveriesTo(e)),
                                new MetaInbox.Relay("ch_1", List.of("wamid.2"), fresh, deliveriesTo(e))),
                        List.of());
        assertThat(second.events()).containsExactly(fresh.withSequence(2));
        assertThat(second.relayed()).isEqualTo(1);
        assertThat(second.duplicates()).isEqualTo(1);
        assertThat(store.events().find(p.id(), again.id())).isEmpty();
        // the same message on another number is that number's relay
        Event elsewhere = event(p, T0.plusSeconds(1), null);
        assertThat(store.metaInbox()
                        .save(
                                callback("cb_3", T0.plusSeconds(1), InboxCallback.Status.ROUTED),
                                List.of(new MetaInbox.Relay("ch_2", List.of("wamid.1"), elsewhere, deliveriesTo(e))),
                                List.of())
                        .relayed())
                .isEqualTo(1);

        // an account change becomes a partner event once per key
        Event quality = event(p, T0.plusSeconds(2), null);
        MetaInbox.AccountEvent change =
                new MetaInbox.AccountEvent("waba_1", "quality:1", new EntityStore.Emission(quality, deliveriesTo(e)));
        assertThat(store.metaInbox()
                        .save(
                                callback("cb_4", T0.plusSeconds(2), InboxCallback.Status.ROUTED),
                                List.of(),
                                List.of(change))
                        .events())
                .containsExactly(quality.withSequence(4));
        Event repeat = event(p, T0.plusSeconds(3), null);
        MetaInbox.Saved repeated = store.metaInbox()
                .save(
                        callback("cb_5", T0.plusSeconds(3), InboxCallback.Status.UNROUTABLE),
                        List.of(),
                        List.of(new MetaInbox.AccountEvent(
                                "waba_1", "quality:1", new EntityStore.Emission(repeat, deliveriesTo(e)))));
        assertThat(repeated.events()).isEmpty();
        assertThat(repeated.duplicates()).isEqualTo(1);
        assertThat(store.events().find(p.id(), repeat.id())).isEmpty();

        // what found no channel, newest first, with what was kept of it
        List<InboxCallback> unrouted = store.metaInbox().unrouted(10, null);
        assertThat(unrouted).extracting(InboxCallback::id).containsExactly("cb_5", "cb_2");
        assertThat(unrouted.get(1))
                .isEqualTo(new InboxCallback(
                        "cb_2",
                        T0.plusSeconds(1),
                        "{\"object\":\"whatsapp_business_account\"}",
                        InboxCallback.Status.PARTIAL,
                        1,
                        1,
                        1,
                        1));
        assertThat(store.metaInbox().unrouted(10, "cb_5"))
                .extracting(InboxCallback::id)
                .containsExactly("cb_2");
        assertThat(store.metaInbox().unrouted(1, null))
                .extracting(InboxCallback::id)
                .containsExactly("cb_5");
    }

    @Test
    void aMonotonicWebhookGetsAStatusBelowOneRelayedBeforeAsSuperseded() {
        Partner p = partner("acme");
        Endpoint monotonic = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/mono",
                List.of("*"),
                "desc",
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                null,
                null,
                null,
                null,
                new Endpoint.Profile(
                        Endpoint.Profile.STANDARD,
                        Map.of(),
                        null,
                        null,
                        false,
                        Endpoint.Profile.ORDERING_NONE,
                        Endpoint.Profile.MONOTONIC));
        store.endpoints().insert(monotonic);
        Event read = event(p, T0, null);
        MetaInbox.Saved first = store.metaInbox()
                .save(
                        callback("cb_1", T0, InboxCallback.Status.ROUTED),
                        List.of(new MetaInbox.Relay(
                                "ch_1",
                                List.of("wamid.9:read"),
                                read,
                                deliveriesTo(monotonic),
                                List.of(new MetaInbox.StatusMark(
                                        "wamid.9", "read", MetaInbox.StatusMark.rankOf("read"))))),
                        List.of());
        assertThat(first.superseded()).isZero();
        // "delivered" arrives late: written, but final at once as superseded by "read"
        Event delivered = event(p, T0.plusSeconds(1), null);
        MetaInbox.Saved late = store.metaInbox()
                .save(
                        callback("cb_2", T0.plusSeconds(1), InboxCallback.Status.ROUTED),
                        List.of(new MetaInbox.Relay(
                                "ch_1",
                                List.of("wamid.9:delivered"),
                                delivered,
                                deliveriesTo(monotonic),
                                List.of(new MetaInbox.StatusMark(
                                        "wamid.9", "delivered", MetaInbox.StatusMark.rankOf("delivered"))))),
                        List.of());
        assertThat(late.events()).extracting(Event::id).containsExactly(delivered.id());
        assertThat(late.superseded()).isEqualTo(1);
        assertThat(late.heldBack()).containsExactly(delivered.id());
        Delivery d = store.events().deliveries(p.id(), delivered.id()).get(0);
        assertThat(d.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(d.supersededBy()).isEqualTo("read");
        assertThat(claimIds(T0.plusSeconds(2)))
                .containsExactly(
                        store.events().deliveries(p.id(), read.id()).get(0).id());
    }

    @Test
    void retentionRemovesOldFinishedEventsABatchAtATimeAndKeepsPendingOnes() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Event done = event(p, T0, null);
        Event waiting = event(p, T0, null);
        Event bare = event(p, T0.plusSeconds(1), null);
        Event recent = event(p, T0.plusSeconds(100), null);
        store.events().append(done, deliveriesTo(e));
        store.events().append(waiting, deliveriesTo(e));
        store.events().append(bare, List.of());
        store.events().append(recent, List.of());
        Claimed sent = claimedFor(store.queue().claimDue(T0, 10, LEASE), done);
        assertThat(store.queue().complete(sent.id(), sent.leaseToken(), attempt(1, 200, null), new Next.Done(), T0))
                .isTrue();

        Instant cutoff = T0.plusSeconds(50);
        assertThat(store.retention().removeBefore(cutoff, 1)).isEqualTo(new RetentionStore.Removed(1, 1, 1));
        assertThat(store.events().find(p.id(), done.id())).isEmpty();
        assertThat(store.retention().removeBefore(cutoff, 1)).isEqualTo(new RetentionStore.Removed(1, 0, 0));
        assertThat(store.retention().removeBefore(cutoff, 1).none()).isTrue();
        // an event with a pending delivery stays, with that delivery, however old; newer ones stay too
        assertThat(store.events().find(p.id(), waiting.id())).isPresent();
        assertThat(store.events().deliveries(p.id(), waiting.id())).hasSize(1);
        assertThat(store.events().find(p.id(), recent.id())).isPresent();
        assertThat(store.events().find(p.id(), bare.id())).isEmpty();
    }

    @Test
    void retentionRemovesOldMetaCallbacksAndRelayKeysOldestFirst() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        store.metaInbox()
                .save(
                        callback("cb_old", T0, InboxCallback.Status.UNROUTABLE),
                        List.of(new MetaInbox.Relay("ch_1", List.of("wamid.1"), event(p, T0, null), deliveriesTo(e))),
                        List.of());
        store.metaInbox()
                .save(
                        callback("cb_new", T0.plusSeconds(100), InboxCallback.Status.UNROUTABLE),
                        List.of(new MetaInbox.Relay("ch_1", List.of("wamid.2"), event(p, T0, null), deliveriesTo(e))),
                        List.of());
        Instant cutoff = T0.plusSeconds(50);
        assertThat(store.retention().removeMetaCallbacksBefore(cutoff, 10)).isEqualTo(1);
        assertThat(store.retention().removeMetaCallbacksBefore(cutoff, 10)).isZero();
        assertThat(store.metaInbox().unrouted(10, null))
                .extracting(InboxCallback::id)
                .containsExactly("cb_new");
        assertThat(store.retention().removeMetaRelayedBefore(cutoff, 10)).isEqualTo(1);
        assertThat(store.retention().removeMetaRelayedBefore(cutoff, 10)).isZero();
        // past its window a message's key is forgotten (Meta no longer redelivers it); a newer one is kept
        MetaInbox.Saved again = store.metaInbox()
                .save(
                        callback("cb_3", T0.plusSeconds(200), InboxCallback.Status.ROUTED),
                        List.of(
                                new MetaInbox.Relay("ch_1", List.of("wamid.1"), event(p, T0, null), deliveriesTo(e)),
                                new MetaInbox.Relay("ch_1", List.of("wamid.2"), event(p, T0, null), deliveriesTo(e))),
                        List.of());
        assertThat(again.relayed()).isEqualTo(1);
        assertThat(again.duplicates()).isEqualTo(1);
    }

    @Test
    void theStreamPagesThroughEventsInCommitOrderAndKeepsConsumersCursors() {
        Partner p = partner("acme");
        Partner q = partner("bolt");
        assertThat(store.stream().beforeOldest(p.id())).isEmpty();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // ids made in the reverse order: the stream follows commits, not ids
            Event e = eventOf(
                    p,
                    i % 2 == 0 ? "workspace.seats.exhausted" : "channel.created",
                    "ws_" + (i % 3),
                    T0.minusSeconds(i));
            store.events().append(e, List.of());
            events.add(e);
        }
        store.events().append(eventOf(q, "channel.created", "ws_0", T0), List.of());
        List<EventId> inOrder = events.stream().map(Event::id).toList();
        SubjectFilter none = SubjectFilter.NONE;

        List<StreamStore.Item> page = store.stream().after(p.id(), null, List.of(), none, 3);
        assertThat(page).extracting(i -> i.event().id()).containsExactlyElementsOf(inOrder.subList(0, 3));
        assertThat(page.get(0).event()).isEqualTo(events.get(0).withSequence(1));
        List<StreamStore.Item> rest = store.stream().after(p.id(), page.get(2).place(), List.of(), none, 3);
        assertThat(rest).extracting(i -> i.event().id()).containsExactlyElementsOf(inOrder.subList(3, 5));
        assertThat(store.stream().after(p.id(), rest.get(1).place(), List.of(), none, 3))
                .isEmpty();
        StreamStore.Place start = store.stream().beforeOldest(p.id()).orElseThrow();
        assertThat(store.stream().after(p.id(), start, List.of(), none, 10))
                .extracting(i -> i.event().id())
                .containsExactlyElementsOf(inOrder);

        // narrowed by type (exact or a prefix ending in ".") and by subject
        assertThat(store.stream().after(p.id(), null, List.of("channel."), none, 10))
                .extracting(i -> i.event().id())
                .containsExactly(inOrder.get(1), inOrder.get(3));
        assertThat(store.stream().after(p.id(), null, List.of("workspace.seats.exhausted"), none, 10))
                .extracting(i -> i.event().id())
                .containsExactly(inOrder.get(0), inOrder.get(2), inOrder.get(4));
        assertThat(store.stream()
                        .after(p.id(), null, List.of(), new SubjectFilter(List.of("ws_1"), List.of(), List.of()), 10))
                .extracting(i -> i.event().id())
                .containsExactly(inOrder.get(1), inOrder.get(4));

        // a consumer's cursor: created by its first commit, moved by the next
        assertThat(store.stream().consumer(p.id(), "billing")).isEmpty();
        assertThat(store.stream().commit(p.id(), "billing", "cursor-1", T0)).isTrue();
        assertThat(store.stream().commit(p.id(), "billing", "cursor-2", T0.plusSeconds(5)))
                .isFalse();
        assertThat(store.stream().consumer(p.id(), "billing"))
                .contains(new StreamConsumer("billing", "cursor-2", T0, T0.plusSeconds(5)));
        assertThat(store.stream().consumer(q.id(), "billing")).isEmpty();
    }

    @Test
    void aReplayCountsAndQueuesItsSelectionUnderALeaseThatOneWorkerHolds() {
        Partner p = partner("acme");
        Endpoint target = endpoint(p, true, "*");
        Endpoint elsewhere = endpoint(p, true, "*");
        Event failed = eventOf(p, "workspace.seats.exhausted", "ws_1", T0.plusSeconds(10));
        Event missing = eventOf(p, "workspace.seats.exhausted", "ws_1", T0.plusSeconds(20));
        Event delivered = eventOf(p, "channel.created", "ws_1", T0.plusSeconds(30));
        Event test = new Event(
                new EventId(idAt(Ids.EVENT, T0.plusSeconds(40))),
                p.id(),
                "channel.created",
                "{}",
                "{}",
                T0.plusSeconds(40),
                null,
                "partner",
                0,
                true);
        Event later = eventOf(p, "channel.created", "ws_1", T0.plusSeconds(200));
        store.events().append(failed, deliveriesTo(target));
        store.events().append(missing, deliveriesTo(elsewhere));
        store.events().append(delivered, deliveriesTo(target));
        store.events().append(test, List.of());
        store.events().append(later, List.of());
        List<Claimed> sent = store.queue().claimDue(T0.plusSeconds(30), 10, LEASE);
        assertThat(sent).hasSize(3);
        Claimed f = claimedFor(sent, failed);
        Claimed d = claimedFor(sent, delivered);
        assertThat(store.queue().complete(f.id(), f.leaseToken(), attempt(1, 500, null), new Next.GiveUp(), T0))
                .isTrue();
        assertThat(store.queue().complete(d.id(), d.leaseToken(), attempt(1, 200, null), new Next.Done(), T0))
                .isTrue();

        Instant since = T0;
        Instant until = T0.plusSeconds(100);
        ReplayStore.Selection all = new ReplayStore.Selection(target, Replay.Which.ALL, since, until, null);
        assertThat(store.replays().count(all, 100)).isEqualTo(3);
        assertThat(store.replays().count(all, 1)).isEqualTo(2);
        assertThat(store.replays()
                        .count(new ReplayStore.Selection(target, Replay.Which.MISSING, since, until, null), 100))
                .isEqualTo(1);
        assertThat(store.replays()
                        .count(new ReplayStore.Selection(target, Replay.Which.FAILED, since, until, null), 100))
                .isEqualTo(1);
        assertThat(store.replays()
                        .count(
                                new ReplayStore.Selection(target, Replay.Which.ALL, since, until, List.of("channel.*")),
                                100))
                .isEqualTo(1);

        Replay replay = new Replay(
                new ReplayId(ids.next(Ids.REPLAY)),
                p.id(),
                target.id(),
                Replay.Which.ALL,
                since,
                until,
                null,
                Replay.State.QUEUED,
                3,
                0,
                0,
                0,
                0,
                T0.plusSeconds(300),
                T0.plusSeconds(300),
                null,
                null);
        store.replays().insert(replay);
        assertThat(store.replays().find(p.id(), replay.id())).contains(replay);
        assertThat(store.replays().find(partner("bolt").id(), replay.id())).isEmpty();
        assertThat(store.replays().list(p.id(), null, 10, null).items()).containsExactly(replay);
        assertThat(store.replays().list(p.id(), elsewhere.id(), 10, null).items())
                .isEmpty();

        Instant at = T0.plusSeconds(301);
        ReplayStore.Claimed held =
                store.replays().claim("token-1", at, at.plusSeconds(60)).orElseThrow();
        assertThat(held.replay().state()).isEqualTo(Replay.State.RUNNING);
        assertThat(held.replay().startedAt()).isEqualTo(at);
        assertThat(held.cursor()).isNull();
        assertThat(store.replays().claim("token-2", at.plusSeconds(1), at.plusSeconds(61)))
                .isEmpty();

        Supplier<DeliveryId> newIds = () -> new DeliveryId(ids.next(Ids.DELIVERY));
        ReplayStore.Batch first = store.replays()
                .queueBatch(held, all, 2, newIds, at, at.plusSeconds(60))
                .orElseThrow();
        assertThat(first).isEqualTo(new ReplayStore.Batch(2, missing.id().value(), false));
        assertThat(store.replays()
                        .queueBatch(
                                new ReplayStore.Claimed(held.replay(), "token-x", first.cursor(), false),
                                all,
                                2,
                                newIds,
                                at,
                                at.plusSeconds(60)))
                .isEmpty();
        assertThat(store.replays().backlog(target.id(), 10)).isEqualTo(2);
        ReplayStore.Batch second = store.replays()
                .queueBatch(
                        new ReplayStore.Claimed(held.replay(), "token-1", first.cursor(), false),
                        all,
                        2,
                        newIds,
                        at,
                        at.plusSeconds(60))
                .orElseThrow();
        assertThat(second).isEqualTo(new ReplayStore.Batch(1, delivered.id().value(), true));
        Replay progress = store.replays().find(p.id(), replay.id()).orElseThrow();
        assertThat(progress.queued()).isEqualTo(3);
        assertThat(progress.pending()).isEqualTo(3);
        assertThat(store.replays().backlog(target.id(), 2)).isEqualTo(2);
        // the replayed deliveries are ordinary due rows of the endpoint
        assertThat(store.queue().claimDue(at, 10, LEASE))
                .filteredOn(c -> c.endpoint().id().equals(target.id()))
                .extracting(c -> c.event().id())
                .containsExactlyInAnyOrder(failed.id(), missing.id(), delivered.id());

        // given up until a time, then taken again where it stood
        assertThat(store.replays().release(replay.id(), "token-1", at.plusSeconds(100), at))
                .isTrue();
        assertThat(store.replays().release(replay.id(), "token-1", at.plusSeconds(100), at))
                .isFalse();
        assertThat(store.replays().claim("token-3", at.plusSeconds(99), at.plusSeconds(160)))
                .isEmpty();
        ReplayStore.Claimed again = store.replays()
                .claim("token-3", at.plusSeconds(100), at.plusSeconds(160))
                .orElseThrow();
        assertThat(again.cursor()).isEqualTo(delivered.id().value());
        assertThat(again.exhausted()).isTrue();
        assertThat(store.replays().finish(replay.id(), "token-2", Replay.State.COMPLETED, at.plusSeconds(101)))
                .isFalse();
        assertThat(store.replays().finish(replay.id(), "token-3", Replay.State.COMPLETED, at.plusSeconds(101)))
                .isTrue();
        assertThat(store.replays().claim("token-4", at.plusSeconds(1000), at.plusSeconds(1060)))
                .isEmpty();
        Replay done = store.replays().find(p.id(), replay.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(Replay.State.COMPLETED);
        assertThat(done.completedAt()).isEqualTo(at.plusSeconds(101));
    }

    private static WorkspaceState workspace(String id, Partner p, long messagingLimit, long messagingUsed) {
        // every quota named, as the store reads them back (0: no such quota)
        return new WorkspaceState(
                id,
                p.id().value(),
                5,
                1,
                Map.of(Quota.MESSAGING, messagingLimit, Quota.TRANSACTIONS, 0L, Quota.API_CALLS, 0L),
                Map.of(Quota.MESSAGING, messagingUsed, Quota.TRANSACTIONS, 0L, Quota.API_CALLS, 0L),
                T0,
                T0.plus(Duration.ofDays(30)));
    }

    /** Fires "messaging.100" once a period when the quota is used up, and re-arms it when usage falls below. */
    private WorkspaceStore.Planner exhausted(Endpoint e) {
        return (after, fired) -> {
            boolean full = after.reached(Quota.MESSAGING, 100);
            if (full && !fired.contains("messaging.100")) {
                Partner owner = new Partner(new PartnerId(after.partnerId()), "owner", T0);
                return new WorkspaceStore.Plan(
                        List.of(new WorkspaceStore.Publication(
                                "messaging.100", event(owner, T0, null), deliveriesTo(e))),
                        Set.of());
            }
            return new WorkspaceStore.Plan(
                    List.of(), !full && fired.contains("messaging.100") ? Set.of("messaging.100") : Set.of());
        };
    }

    @Test
    void aWorkspaceChangeFiresAThresholdOncePerPeriodWithItsEvent() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        List<AppliedChange> created = store.workspaces()
                .apply(
                        List.of(new WorkspaceStore.Change(
                                new WorkspaceId("ws_1"), before -> workspace("ws_1", p, 10, 9))),
                        exhausted(e),
                        T0);
        assertThat(created).hasSize(1);
        assertThat(created.get(0).state()).isEqualTo(workspace("ws_1", p, 10, 9));
        assertThat(created.get(0).published()).isEmpty();

        List<AppliedChange> full = store.workspaces()
                .apply(
                        List.of(new WorkspaceStore.Change(
                                new WorkspaceId("ws_1"),
                                before -> workspace("ws_1", p, 10, before.used(Quota.MESSAGING) + 1))),
                        exhausted(e),
                        T0);
        assertThat(full.get(0).published()).hasSize(1);
        Event fired = full.get(0).published().get(0);
        assertThat(fired.sequence()).isEqualTo(1);
        assertThat(store.events().deliveries(p.id(), fired.id())).hasSize(1);
        assertThat(store.workspaces().firedThisPeriod(p.id(), new WorkspaceId("ws_1")))
                .containsExactly("messaging.100");
        // still full: nothing fires again in this period
        assertThat(store.workspaces()
                        .apply(
                                List.of(new WorkspaceStore.Change(
                                        new WorkspaceId("ws_1"), before -> workspace("ws_1", p, 10, 11))),
                                exhausted(e),
                                T0)
                        .get(0)
                        .published())
                .isEmpty();
        // usage falls below: the threshold re-arms
        store.workspaces()
                .apply(
                        List.of(new WorkspaceStore.Change(
                                new WorkspaceId("ws_1"), before -> workspace("ws_1", p, 10, 2))),
                        exhausted(e),
                        T0);
        assertThat(store.workspaces().firedThisPeriod(p.id(), new WorkspaceId("ws_1")))
                .isEmpty();
        assertThat(store.workspaces().firedThisPeriod(p.id(), new WorkspaceId("ws_none")))
                .isEmpty();

        assertThat(store.workspaces().find(p.id(), new WorkspaceId("ws_1"))).contains(workspace("ws_1", p, 10, 2));
        assertThat(store.workspaces().findAny(new WorkspaceId("ws_1"))).contains(workspace("ws_1", p, 10, 2));
        Partner other = partner("bolt");
        assertThat(store.workspaces().find(other.id(), new WorkspaceId("ws_1"))).isEmpty();
        store.workspaces()
                .apply(
                        List.of(
                                new WorkspaceStore.Change(
                                        new WorkspaceId("ws_3"), before -> workspace("ws_3", p, 0, 0)),
                                new WorkspaceStore.Change(
                                        new WorkspaceId("ws_2"), before -> workspace("ws_2", p, 0, 0))),
                        exhausted(e),
                        T0);
        assertThat(store.workspaces().list(p.id(), 2, null))
                .extracting(WorkspaceState::workspaceId)
                .containsExactly("ws_1", "ws_2");
        assertThat(store.workspaces().list(p.id(), 2, "ws_2"))
                .extracting(WorkspaceState::workspaceId)
                .containsExactly("ws_3");
        assertThat(store.workspaces().list(other.id(), 10, null)).isEmpty();
    }

    @Test
    void aWorkspaceBatchIsAllOrNothingAndThresholdsAreKeptPerPartner() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        Assertions.assertThatThrownBy(() -> store.workspaces()
                        .apply(
                                List.of(
                                        new WorkspaceStore.Change(
                                                new WorkspaceId("ws_1"), before -> workspace("ws_1", p, 10, 10)),
                                        new WorkspaceStore.Change(new WorkspaceId("ws_2"), before -> {
                                            throw new IllegalStateException("unknown workspace");
                                        })),
                                exhausted(e),
                                T0))
                .hasMessageContaining("unknown workspace");
        assertThat(store.workspaces().findAny(new WorkspaceId("ws_1"))).isEmpty();
        assertThat(store.events().list(p.id(), 10, null).items()).isEmpty();

        Threshold ninety = new Threshold(Quota.MESSAGING, 90);
        Threshold half = new Threshold(Quota.API_CALLS, 50);
        assertThat(store.workspaces().addThreshold(p.id(), ninety, T0)).isTrue();
        assertThat(store.workspaces().addThreshold(p.id(), ninety, T0)).isFalse();
        assertThat(store.workspaces().addThreshold(p.id(), half, T0)).isTrue();
        assertThat(store.workspaces().thresholds(p.id())).containsExactlyInAnyOrder(ninety, half);
        assertThat(store.workspaces().thresholds(partner("bolt").id())).isEmpty();
        assertThat(store.workspaces().removeThreshold(p.id(), ninety)).isTrue();
        assertThat(store.workspaces().removeThreshold(p.id(), ninety)).isFalse();
        assertThat(store.workspaces().thresholds(p.id())).containsExactly(half);
    }

    @Test
    void aPartnersKeysAuthenticateUntilRevokedOrExpired() {
        Partner p = partner("acme");
        Partner q = partner("bolt");
        ApiKey first = store.partners().keys(p.id(), T0).get(0);
        ApiKey second = new ApiKey(
                new ApiKeyId(idAt(Ids.API_KEY, T0.plusSeconds(1))), p.id(), "phk_abcd", T0.plusSeconds(1), null, null);
        store.partners().insertKey(second, "hash-second");
        assertThat(store.partners().keys(p.id(), T0.plusSeconds(2))).containsExactly(first, second);
        assertThat(store.partners().findByApiKeyHash("hash-second", T0.plusSeconds(2)))
                .contains(new KeyHolder(p, second));
        assertThat(store.partners().key(p.id(), second.id(), T0.plusSeconds(2))).contains(second);
        assertThat(store.partners().key(q.id(), second.id(), T0.plusSeconds(2))).isEmpty();
        assertThat(store.partners().list(10))
                .extracting(Partner::id)
                .containsExactlyElementsOf(Stream.of(p.id(), q.id())
                        .sorted(Comparator.comparing(PartnerId::value))
                        .toList());

        // the last use is written once however many nodes race: not again while it is after notAfter
        store.partners().touchKey(p.id(), second.id(), T0.plusSeconds(10), T0.plusSeconds(5));
        store.partners().touchKey(p.id(), second.id(), T0.plusSeconds(11), T0.plusSeconds(5));
        assertThat(store.partners()
                        .key(p.id(), second.id(), T0.plusSeconds(12))
                        .orElseThrow()
                        .lastUsedAt())
                .isEqualTo(T0.plusSeconds(10));

        // an expiry only ever comes earlier, and holds from its instant on
        assertThat(store.partners().expireKey(p.id(), second.id(), T0.plusSeconds(100)))
                .isEqualTo(T0.plusSeconds(100));
        assertThat(store.partners().expireKey(p.id(), second.id(), T0.plusSeconds(200)))
                .isEqualTo(T0.plusSeconds(100));
        assertThat(store.partners().findByApiKeyHash("hash-second", T0.plusSeconds(99)))
                .isPresent();
        assertThat(store.partners().findByApiKeyHash("hash-second", T0.plusSeconds(100)))
                .isEmpty();
        assertThat(store.partners().keys(p.id(), T0.plusSeconds(100))).containsExactly(first);

        assertThat(store.partners().revokeKey(q.id(), first.id(), T0.plusSeconds(3)))
                .isFalse();
        assertThat(store.partners().revokeKey(p.id(), first.id(), T0.plusSeconds(3)))
                .isTrue();
        assertThat(store.partners().revokeKey(p.id(), first.id(), T0.plusSeconds(4)))
                .isFalse();
        assertThat(store.partners().findByApiKeyHash("hash-" + p.id().value(), T0.plusSeconds(5)))
                .isEmpty();
        assertThat(store.partners().keys(p.id(), T0.plusSeconds(5)))
                .extracting(ApiKey::id)
                .containsExactly(second.id());
    }

    @Test
    void anEndpointsSecretRotatesAndItsStateIsAnnouncedOnce() {
        Partner p = partner("acme");
        Endpoint e = endpoint(p, true, "*");
        String next = "whsec_bmV4dG5leHRuZXh0bmV4dG5leHRuZXh0";
        Instant overlap = T0.plusSeconds(3600);
        assertThat(store.endpoints().rotateSecret(partner("bolt").id(), e.id(), next, e.secret(), overlap, T0))
                .isFalse();
        assertThat(store.endpoints().rotateSecret(p.id(), e.id(), next, e.secret(), overlap, T0.plusSeconds(1)))
                .isTrue();
        Endpoint rotated = store.endpoints().find(p.id(), e.id()).orElseThrow();
        assertThat(rotated.secret()).isEqualTo(next);
        assertThat(rotated.previousSecret()).isEqualTo(e.secret());
        assertThat(rotated.previousSecretExpiresAt()).isEqualTo(overlap);
        assertThat(rotated.signingSecrets(T0.plusSeconds(2))).containsExactly(next, e.secret());

        Endpoint messaging = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/wa",
                List.of("*"),
                null,
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T0,
                T0,
                null,
                null,
                null,
                null,
                new Endpoint.Profile(Endpoint.Profile.STANDARD, Map.of(), "ch_1", Endpoint.ROLE_MESSAGING));
        store.endpoints().insert(messaging);
        assertThat(store.endpoints().findMessaging(p.id(), new ChannelId("ch_1")))
                .map(Endpoint::id)
                .contains(messaging.id());
        assertThat(store.endpoints().findMessaging(p.id(), new ChannelId("ch_2")))
                .isEmpty();

        // new endpoints start announced active: nothing to say until one is switched off
        assertThat(store.endpoints().unannounced(T0, 10)).isEmpty();
        Endpoint off = new Endpoint(
                e.id(),
                p.id(),
                e.url(),
                e.eventTypes(),
                e.description(),
                false,
                next,
                e.createdAt(),
                T0.plusSeconds(5),
                null,
                null,
                e.secret(),
                overlap,
                Endpoint.Profile.DEFAULT);
        assertThat(store.endpoints().update(p.id(), off)).isTrue();
        assertThat(store.endpoints().unannounced(T0, 10)).singleElement().satisfies(u -> {
            assertThat(u.endpoint().id()).isEqualTo(e.id());
            assertThat(u.announced()).isEqualTo("active");
        });
        // two nodes announce it: one wins
        assertThat(store.endpoints().announce(p.id(), e.id(), "active", "disabled", T0.plusSeconds(6)))
                .isTrue();
        assertThat(store.endpoints().announce(p.id(), e.id(), "active", "disabled", T0.plusSeconds(6)))
                .isFalse();
        assertThat(store.endpoints().unannounced(T0, 10)).isEmpty();
    }
}
