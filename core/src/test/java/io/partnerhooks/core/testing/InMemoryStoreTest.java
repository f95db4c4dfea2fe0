package io.partnerhooks.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.EntityStore.Outcome;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.WorkspaceStore.Change;
import io.partnerhooks.core.port.WorkspaceStore.Plan;
import io.partnerhooks.core.port.WorkspaceStore.Publication;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fake holds to the parts of storage's StoreContractTest that the use-case and dispatcher
 * tests lean on; if it drifted from the real stores, those tests would prove nothing.
 */
class InMemoryStoreTest {
    private static final Instant T0 = TestData.T0;
    private static final Duration LEASE = Duration.ofSeconds(60);
    private final TestData t = new TestData();
    private final InMemoryStore store = t.store;
    private final Partner p = t.partner("acme");

    private Event event(String key, String subjectKey, Instant at) {
        return new Event(
                new EventId(t.ids.next(Ids.EVENT)),
                p.id(),
                "workspace.seats.exhausted",
                "{}",
                "{}",
                at,
                key,
                subjectKey,
                0);
    }

    private List<NewDelivery> to(Endpoint... endpoints) {
        List<NewDelivery> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            NewDelivery d = new NewDelivery(new DeliveryId(t.ids.next(Ids.DELIVERY)), e.id());
            out.add(e.profile().ordered() ? d.orderedBy("workspace_id:ws_1") : d);
        }
        return out;
    }

    private Attempt attempt(int number) {
        return new Attempt(new AttemptId(t.ids.next(Ids.ATTEMPT)), number, T0, 1, 200, null, "ok");
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstEventAndSubjectsNumberTheirOwnEvents() {
        Endpoint e = t.endpoint(p, "*");
        Event first = event("k", "workspace_id:ws_1", T0);
        assertThat(store.events().append(first, to(e))).isEqualTo(new EventStore.Appended(first.id(), true));
        assertThat(store.events().append(event("k", "workspace_id:ws_1", T0), to(e)))
                .isEqualTo(new EventStore.Appended(first.id(), false));
        assertThat(store.allEvents()).hasSize(1);
        List<EventStore.Stored> more = store.events()
                .appendAll(List.of(
                        new EventStore.Append(event(null, "workspace_id:ws_1", T0), to(e)),
                        new EventStore.Append(event(null, "workspace_id:ws_2", T0), to(e))));
        assertThat(more).extracting(EventStore.Stored::sequence).containsExactly(2L, 1L);
    }

    @Test
    void aBatchThatCannotBeWrittenWritesNothing() {
        Endpoint e = t.endpoint(p, "*");
        Event ok = event(null, "partner", T0);
        List<NewDelivery> first = to(e);
        store.events().append(ok, first);
        Event fresh = event(null, "partner", T0);
        Event clash = event(null, "partner", T0);
        assertThatThrownBy(() -> store.events()
                        .appendAll(List.of(new EventStore.Append(fresh, to(e)), new EventStore.Append(clash, first))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.allEvents()).extracting(Event::id).containsExactly(ok.id());
    }

    @Test
    void aClaimLeasesDueRowsOfEnabledEndpointsAndACompletionNeedsTheCurrentToken() {
        Endpoint on = t.endpoint(p, "*");
        Endpoint off = t.endpoint(p, "*");
        store.endpoints()
                .update(
                        p.id(),
                        new Endpoint(
                                off.id(),
                                p.id(),
                                off.url(),
                                off.eventTypes(),
                                null,
                                false,
                                off.secret(),
                                T0,
                                T0,
                                null,
                                null,
                                null,
                                null,
                                null));
        Event ev = event(null, "partner", T0);
        store.events().append(ev, to(on, off));
        store.events().append(event(null, "partner", T0.plusSeconds(30)), to(on));

        assertThat(store.queue().claimDue(T0.minusSeconds(1), 10, LEASE)).isEmpty();
        Claimed first = store.queue().claimDue(T0, 10, LEASE).get(0);
        assertThat(first.endpoint().id()).isEqualTo(on.id());
        assertThat(store.queue().claimDue(T0.plusSeconds(1), 10, LEASE)).isEmpty();
        // the lease ran out: another claim takes the row with a new token, and only that token counts
        Claimed second = store.queue().claimDue(T0.plus(LEASE), 10, LEASE).stream()
                .filter(c -> c.id().equals(first.id()))
                .findFirst()
                .orElseThrow();
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
        assertThat(store.queue().complete(first.id(), first.leaseToken(), attempt(1), new Next.Done(), T0))
                .isFalse();
        assertThat(store.queue()
                        .complete(
                                second.id(),
                                second.leaseToken(),
                                attempt(1),
                                new Next.RetryAt(T0.plusSeconds(120)),
                                T0))
                .isTrue();
        assertThat(store.queue().complete(second.id(), second.leaseToken(), attempt(2), new Next.Done(), T0))
                .isFalse();
        Delivery d = store.delivery(first.id());
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attemptCount()).isEqualTo(1);
        assertThat(d.nextAttemptAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void aClaimTakesNoMoreOfAnEndpointThanItsShareAndSkipsExcludedOnes() {
        Endpoint busy = t.endpoint(p, new Endpoint.Limits(1, null), null, null, "*");
        Endpoint limited = t.endpoint(p, new Endpoint.Limits(10, 5), null, null, "*");
        for (int i = 0; i < 8; i++) {
            store.events().append(event(null, "partner", T0), to(busy, limited));
        }
        List<Claimed> got = store.queue().claimDue(T0, 100, LEASE);
        assertThat(got).filteredOn(c -> c.endpoint().id().equals(busy.id())).hasSize(DeliveryQueue.ROWS_PER_SLOT);
        assertThat(got).filteredOn(c -> c.endpoint().id().equals(limited.id())).hasSize(1);
        assertThat(store.queue().claimDue(T0, 100, LEASE, Set.of(busy.id())))
                .allSatisfy(c -> assertThat(c.endpoint().id()).isEqualTo(limited.id()));
    }

    @Test
    void anOrderedChainHasOneHeadAndAFinalOutcomeLetsTheNextGo() {
        Endpoint ordered = t.endpoint(
                p, null, Endpoint.Profile.DEFAULT.withOrdering(Endpoint.Profile.ORDERING_ORDERED), null, "*");
        List<NewDelivery> a = to(ordered);
        List<NewDelivery> b = to(ordered);
        store.events().append(event(null, "workspace_id:ws_1", T0), a);
        store.events().append(event(null, "workspace_id:ws_1", T0), b);
        assertThat(store.delivery(b.get(0).id()).heldBy()).isEqualTo(a.get(0).id());
        Claimed head = store.queue().claimDue(T0, 10, LEASE).get(0);
        assertThat(head.id()).isEqualTo(a.get(0).id());
        store.queue().complete(head.id(), head.leaseToken(), attempt(1), new Next.RetryAt(T0.plusSeconds(5)), T0);
        assertThat(store.queue().claimDue(T0.plusSeconds(5), 10, LEASE))
                .extracting(Claimed::id)
                .containsExactly(a.get(0).id());
        Claimed again =
                store.queue().claimDue(T0.plus(LEASE).plusSeconds(5), 10, LEASE).get(0);
        store.queue().complete(again.id(), again.leaseToken(), attempt(2), new Next.GiveUp(), T0.plusSeconds(70));
        assertThat(store.queue().claimDue(T0.plusSeconds(70), 10, LEASE))
                .extracting(Claimed::id)
                .containsExactly(b.get(0).id());
    }

    @Test
    void aFailedEndpointCoolsDownAndASuccessEndsTheStreak() {
        Endpoint e = t.endpoint(p, "*");
        store.events().append(event(null, "partner", T0), to(e));
        store.events().append(event(null, "partner", T0), to(e));
        Claimed c = store.queue().claimDue(T0, 1, LEASE).get(0);
        Instant probe = T0.plusSeconds(600);
        store.queue()
                .complete(
                        c.id(),
                        c.leaseToken(),
                        attempt(1),
                        new Next.RetryAt(T0.plusSeconds(5)),
                        new DeliveryQueue.EndpointReport.Failed((n, since, now) -> new HealthVerdict(probe, null)),
                        T0);
        assertThat(store.endpoint(e).health()).isEqualTo(new Endpoint.Health(1, T0, probe, null, null));
        // waiting for its probe, the endpoint is not claimed for
        assertThat(store.queue().claimDue(T0.plusSeconds(10), 10, LEASE)).isEmpty();
        assertThat(store.queue().nextDueAt()).contains(probe);
        Claimed probeRow = store.queue().claimDue(probe, 10, LEASE).get(0);
        store.queue()
                .complete(
                        probeRow.id(),
                        probeRow.leaseToken(),
                        attempt(1),
                        new Next.Done(),
                        new DeliveryQueue.EndpointReport.Healthy(),
                        probe);
        assertThat(store.endpoint(e).health()).isEqualTo(Endpoint.Health.OK);
    }

    @Test
    void entitiesWorkspacesAndMessagingWebhooksAreFoundForTheirPartnerOnly() {
        Partner other = t.partner("other");
        store.entities()
                .change(
                        "client",
                        "cl_1",
                        current -> new Outcome(
                                new Entity("client", "cl_1", p.id().value(), "{\"id\":\"cl_1\"}"), List.of()),
                        T0);
        assertThat(store.entities().find(p.id(), "client", "cl_1"))
                .map(Entity::stateJson)
                .contains("{\"id\":\"cl_1\"}");
        assertThat(store.entities().find(other.id(), "client", "cl_1")).isEmpty();
        assertThat(store.entities().find(p.id(), "channel", "cl_1")).isEmpty();
        assertThat(store.entities().findAny("client", "cl_1"))
                .map(Entity::partnerId)
                .contains(p.id().value());
        assertThat(store.entities().findAny("client", "cl_2")).isEmpty();

        WorkspaceId ws = new WorkspaceId("ws_1");
        store.workspaces()
                .apply(
                        List.of(new Change(
                                ws,
                                before -> new WorkspaceState(
                                        "ws_1",
                                        p.id().value(),
                                        5,
                                        5,
                                        Map.of(),
                                        Map.of(),
                                        T0,
                                        T0.plus(Duration.ofDays(30))))),
                        (after, firedBefore) -> new Plan(
                                List.of(new Publication("seats:100", event(null, "workspace_id:ws_1", T0), List.of())),
                                Set.of()),
                        T0);
        assertThat(store.workspaces().find(p.id(), ws))
                .map(WorkspaceState::seatsUsed)
                .contains(5L);
        assertThat(store.workspaces().find(other.id(), ws)).isEmpty();
        assertThat(store.workspaces().findAny(ws))
                .map(WorkspaceState::partnerId)
                .contains(p.id().value());
        assertThat(store.workspaces().findAny(new WorkspaceId("ws_2"))).isEmpty();
        assertThat(store.workspaces().firedThisPeriod(p.id(), ws)).containsExactly("seats:100");
        assertThat(store.workspaces().firedThisPeriod(other.id(), ws)).isEmpty();

        Endpoint messaging = t.endpoint(
                p,
                null,
                new Endpoint.Profile(Endpoint.Profile.STANDARD, Map.of(), "ch_1", Endpoint.ROLE_MESSAGING),
                null,
                "*");
        assertThat(store.endpoints().findMessaging(p.id(), new ChannelId("ch_1")))
                .map(Endpoint::id)
                .contains(messaging.id());
        assertThat(store.endpoints().findMessaging(other.id(), new ChannelId("ch_1")))
                .isEmpty();
        assertThat(store.endpoints().findMessaging(p.id(), new ChannelId("ch_2")))
                .isEmpty();
    }
}
