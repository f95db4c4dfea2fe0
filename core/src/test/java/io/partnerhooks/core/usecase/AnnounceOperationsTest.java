package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Operational events: told to the partner's other endpoints once per change, never to the one it is about. */
class AnnounceOperationsTest {
    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final AnnounceOperations announce = new AnnounceOperations(
            t.store.endpoints(), t.store.events(), t.store.transactions(), t.ids, t.clock, woken::incrementAndGet);
    private final Partner acme = t.partner("acme");
    private final Endpoint troubled = t.endpoint(acme, "workspace.*");
    private final Endpoint watcher = t.endpoint(acme, "*");

    /** One failed attempt whose verdict puts the endpoint in cooldown until {@code probeAfter}. */
    private void fail(Endpoint e, Instant probeAfter, String disableReason) {
        Event ev = new Event(
                new EventId(t.ids.next(Ids.EVENT)),
                acme.id(),
                "workspace.seats.exhausted",
                "{}",
                "{}",
                t.clock.instant(),
                null);
        DeliveryId d = new DeliveryId(t.ids.next(Ids.DELIVERY));
        t.store.events().append(ev, List.of(new NewDelivery(d, e.id())));
        DeliveryQueue.Claimed c = t.store.queue().claimDue(t.clock.instant(), 10, Duration.ofSeconds(30)).stream()
                .filter(x -> x.id().equals(d))
                .findFirst()
                .orElseThrow();
        t.store
                .queue()
                .complete(
                        d,
                        c.leaseToken(),
                        new Attempt(new AttemptId(t.ids.next(Ids.ATTEMPT)), 1, t.clock.instant(), 3, 500, null, "no"),
                        new DeliveryQueue.Next.GiveUp(),
                        new DeliveryQueue.EndpointReport.Failed(
                                (n, since, now) -> new HealthVerdict(probeAfter, disableReason)),
                        t.clock.instant());
    }

    private List<Event> announced() {
        return t.store.allEvents().stream()
                .filter(e -> e.type().startsWith("endpoint.") || e.type().startsWith("replay."))
                .toList();
    }

    @Test
    void anHourOfCooldownIsAnnouncedAsFailingOnceToTheOtherEndpoints() {
        fail(troubled, t.clock.instant().plusSeconds(600), null);
        // going into cooldown is noted silently
        assertThat(announce.sweep()).isZero();
        assertThat(t.store.endpoints().announcedState(troubled.id())).isEqualTo("cooldown");
        t.clock.advance(AnnounceOperations.FAILING_AFTER);
        assertThat(announce.sweep()).isEqualTo(1);
        assertThat(announce.sweep()).isZero();

        Event failing = announced().get(0);
        assertThat(failing.type()).isEqualTo(AnnounceOperations.FAILING);
        assertThat(failing.subjectJson()).contains(troubled.id().value());
        assertThat(failing.dataJson()).contains("\"consecutive_failures\":1");
        assertThat(t.store.deliveriesOf(failing.id()))
                .extracting(Delivery::endpointId)
                .containsExactly(watcher.id());
        assertThat(woken).hasValue(1);
    }

    @Test
    void aDisabledEndpointAndItsRecoveryAreEachAnnouncedOnce() {
        fail(troubled, null, "failing continuously");
        assertThat(t.store.endpoint(troubled).enabled()).isFalse();
        assertThat(announce.sweep()).isEqualTo(1);
        Event disabled = announced().get(0);
        assertThat(disabled.type()).isEqualTo(AnnounceOperations.DISABLED);
        assertThat(disabled.dataJson())
                .contains("\"disabled_by\":\"partnerhooks\"")
                .contains("failing continuously");

        Endpoint e = t.store.endpoint(troubled);
        t.store
                .endpoints()
                .update(
                        acme.id(),
                        new Endpoint(
                                e.id(),
                                acme.id(),
                                e.url(),
                                e.eventTypes(),
                                null,
                                true,
                                e.secret(),
                                e.createdAt(),
                                t.clock.instant(),
                                null,
                                null,
                                null,
                                null,
                                null));
        assertThat(announce.sweep()).isEqualTo(1);
        assertThat(announce.sweep()).isZero();
        assertThat(announced())
                .extracting(Event::type)
                .containsExactly(AnnounceOperations.DISABLED, AnnounceOperations.RECOVERED);
        assertThat(t.store.deliveriesOf(announced().get(1).id()))
                .extracting(Delivery::endpointId)
                .containsExactly(watcher.id());
    }

    @Test
    void aHealthyEndpointHasNothingToAnnounce() {
        assertThat(announce.sweep()).isZero();
        assertThat(announced()).isEmpty();
        assertThat(woken).hasValue(0);
    }
}
