package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A partner's manual levers: retry one delivery, resend a finished one, recover an endpoint's failures. */
class RedeliverTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final Redeliver redeliver =
            new Redeliver(t.store.queue(), t.store.endpoints(), t.clock, woken::incrementAndGet, t.ids);
    private final Partner acme = t.partner("acme");
    private final Endpoint e = t.endpoint(acme, "*");

    private DeliveryId queued() {
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
        return d;
    }

    /** Claims the one due delivery and records an attempt with this outcome. */
    private void attempt(DeliveryId d, Next next) {
        DeliveryQueue.Claimed c =
                t.store.queue().claimDue(t.clock.instant(), 10, LEASE).get(0);
        assertThat(c.id()).isEqualTo(d);
        t.store
                .queue()
                .complete(
                        c.id(),
                        c.leaseToken(),
                        new Attempt(
                                new AttemptId(t.ids.next(Ids.ATTEMPT)),
                                c.attemptsSoFar() + 1,
                                t.clock.instant(),
                                3,
                                500,
                                null,
                                "no"),
                        next,
                        t.clock.instant());
    }

    @Test
    void aFailedDeliveryIsDueAgainAtOnceAndTheDispatcherIsWoken() {
        DeliveryId d = queued();
        attempt(d, new Next.GiveUp());
        t.clock.advance(Duration.ofMinutes(3));
        redeliver.retry(acme.id(), d.value());
        assertThat(t.store.delivery(d).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(t.store.delivery(d).nextAttemptAt()).isEqualTo(t.clock.instant());
        assertThat(woken).hasValue(1);
    }

    @Test
    void aDeliveredOneOrOneInFlightIsAConflictAndJunkOrAnotherPartnersIsNotFound() {
        DeliveryId d = queued();
        t.store.queue().claimDue(t.clock.instant(), 10, LEASE);
        assertThatThrownBy(() -> redeliver.retry(acme.id(), d.value()))
                .isInstanceOf(Redeliver.ConflictException.class)
                .hasMessageContaining("in flight");
        DeliveryId done = queued();
        t.clock.advance(LEASE.multipliedBy(2));
        DeliveryQueue.Claimed c = t.store.queue().claimDue(t.clock.instant(), 10, LEASE).stream()
                .filter(x -> x.id().equals(done))
                .findFirst()
                .orElseThrow();
        t.store
                .queue()
                .complete(
                        c.id(),
                        c.leaseToken(),
                        new Attempt(new AttemptId(t.ids.next(Ids.ATTEMPT)), 1, t.clock.instant(), 3, 200, null, "ok"),
                        new Next.Done(),
                        t.clock.instant());
        assertThatThrownBy(() -> redeliver.retry(acme.id(), done.value()))
                .isInstanceOf(Redeliver.ConflictException.class)
                .hasMessageContaining("delivered already");
        assertThatThrownBy(() -> redeliver.retry(acme.id(), "dlv_nosuch")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> redeliver.retry(acme.id(), "not-an-id")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> redeliver.retry(t.partner("other").id(), d.value()))
                .isInstanceOf(NotFoundException.class);
        assertThat(woken).hasValue(0);
    }

    @Test
    void aResendIsANewDeliveryOfTheSameEventAndAPendingOneCannotBeResent() {
        DeliveryId d = queued();
        assertThatThrownBy(() -> redeliver.resend(acme.id(), d.value()))
                .isInstanceOf(Redeliver.ConflictException.class);
        attempt(d, new Next.Done());
        DeliveryId copy = redeliver.resend(acme.id(), d.value());
        assertThat(copy).isNotEqualTo(d);
        assertThat(t.store.delivery(copy).eventId())
                .isEqualTo(t.store.delivery(d).eventId());
        assertThat(t.store.delivery(copy).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(t.store.delivery(copy).attemptCount()).isZero();
        // the old row keeps its attempt
        assertThat(t.store.delivery(d).attempts()).hasSize(1);
        assertThat(woken).hasValue(1);
    }

    @Test
    void recoverRequeuesTheEndpointsFailuresSinceATime() {
        DeliveryId old = queued();
        attempt(old, new Next.GiveUp());
        t.clock.advance(Duration.ofHours(1));
        DeliveryId recent = queued();
        attempt(recent, new Next.GiveUp());

        assertThat(redeliver.recover(acme.id(), e.id(), TestData.T0.plusSeconds(1)))
                .isEqualTo(1);
        assertThat(t.store.delivery(recent).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(t.store.delivery(old).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(woken).hasValue(1);
        // nothing to recover: no wake
        assertThat(redeliver.recover(acme.id(), e.id(), TestData.T0.plusSeconds(1)))
                .isZero();
        assertThat(woken).hasValue(1);
        assertThatThrownBy(() -> redeliver.recover(acme.id(), e.id(), null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() ->
                        redeliver.recover(acme.id(), e.id(), t.clock.instant().plusSeconds(1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> redeliver.recover(t.partner("other").id(), e.id(), TestData.T0))
                .isInstanceOf(NotFoundException.class);
    }
}
