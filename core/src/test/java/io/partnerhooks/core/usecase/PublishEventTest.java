package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.testing.TestData;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Publishing: validation, fan-out by event type and subject, idempotency keys, collapse and ordering. */
class PublishEventTest {
    private static final EventCatalog CATALOG = EventCatalog.load();
    private static final String SEATS = "workspace.seats.exhausted";
    private static final String QUALITY = "phone_number.quality.changed";

    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final PublishEvent publish = new PublishEvent(
            t.store.partners(), t.store.endpoints(), t.store.events(), t.ids, t.clock, woken::incrementAndGet, CATALOG);
    private final Partner acme = t.partner("acme");

    private static String example(String type) {
        return CATALOG.find(type).orElseThrow().exampleJson();
    }

    private PublishEvent.Request seats(String workspace, String key) {
        return new PublishEvent.Request(
                SEATS, acme.id().value(), "{\"workspace_id\":\"" + workspace + "\"}", example(SEATS), key, null);
    }

    private List<Delivery> deliveries(PublishEvent.Published p) {
        return t.store.deliveriesOf(p.id());
    }

    @Test
    void anEventGoesToEveryEnabledEndpointWhoseTypesMatchDueAtOnce() {
        Endpoint all = t.endpoint(acme, "*");
        Endpoint workspaces = t.endpoint(acme, "workspace.*");
        Endpoint exact = t.endpoint(acme, SEATS);
        t.endpoint(acme, "channel.*");
        Endpoint off = t.endpoint(acme, "*");
        t.store
                .endpoints()
                .update(
                        acme.id(),
                        new Endpoint(
                                off.id(),
                                acme.id(),
                                off.url(),
                                off.eventTypes(),
                                null,
                                false,
                                off.secret(),
                                off.createdAt(),
                                TestData.T0,
                                null,
                                null,
                                null,
                                null,
                                null));
        Partner other = t.partner("other");
        t.endpoint(other, "*");

        PublishEvent.Published p = publish.publish(seats("ws_1", null));

        assertThat(p.created()).isTrue();
        Event stored = t.store.events().find(acme.id(), p.id()).orElseThrow();
        assertThat(stored.type()).isEqualTo(SEATS);
        assertThat(stored.dataJson()).isEqualTo(example(SEATS));
        assertThat(stored.subjectKey()).isEqualTo("workspace_id:ws_1");
        assertThat(stored.sequence()).isEqualTo(1);
        assertThat(stored.createdAt()).isEqualTo(TestData.T0);
        assertThat(deliveries(p))
                .extracting(Delivery::endpointId)
                .containsExactlyInAnyOrder(all.id(), workspaces.id(), exact.id());
        assertThat(deliveries(p)).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.nextAttemptAt()).isEqualTo(TestData.T0);
        });
        // the rows wait in the queue, so the dispatcher is told to look
        assertThat(woken).hasValue(1);
    }

    @Test
    void aSubjectFilterNarrowsTheFanOutAndEachSubjectNumbersItsOwnEvents() {
        Endpoint onlyWs1 = t.endpoint(acme, null, null, new SubjectFilter(List.of("ws_1"), List.of(), List.of()), "*");
        Endpoint everything = t.endpoint(acme, "*");

        PublishEvent.Published first = publish.publish(seats("ws_1", null));
        PublishEvent.Published second = publish.publish(seats("ws_2", null));
        PublishEvent.Published third = publish.publish(seats("ws_1", null));

        assertThat(deliveries(first))
                .extracting(Delivery::endpointId)
                .containsExactlyInAnyOrder(onlyWs1.id(), everything.id());
        assertThat(deliveries(second)).extracting(Delivery::endpointId).containsExactly(everything.id());
        assertThat(t.store.events().find(acme.id(), third.id()).orElseThrow().sequence())
                .isEqualTo(2);
        assertThat(t.store.events().find(acme.id(), second.id()).orElseThrow().sequence())
                .isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstEventAndWritesNothingMore() {
        t.endpoint(acme, "*");
        PublishEvent.Published first = publish.publish(seats("ws_1", "order-7"));
        PublishEvent.Published again = publish.publish(seats("ws_1", "order-7"));

        assertThat(again).isEqualTo(new PublishEvent.Published(first.id(), false));
        assertThat(t.store.allEvents()).hasSize(1);
        assertThat(deliveries(first)).hasSize(1);
        assertThat(woken).hasValue(1);
        // the same key of another partner is another event
        Partner other = t.partner("other");
        PublishEvent.Published theirs = publish.publish(new PublishEvent.Request(
                SEATS, other.id().value(), "{\"workspace_id\":\"ws_1\"}", example(SEATS), "order-7", null));
        assertThat(theirs.created()).isTrue();
        assertThat(theirs.id()).isNotEqualTo(first.id());
    }

    @Test
    void aBatchWritesEveryEventOrNoneAndAKeyRepeatedInItAnswersTheFirst() {
        t.endpoint(acme, "*");
        List<PublishEvent.Published> out =
                publish.publishBatch(List.of(seats("ws_1", "k"), seats("ws_2", null), seats("ws_3", "k")));
        assertThat(out).extracting(PublishEvent.Published::created).containsExactly(true, true, false);
        assertThat(out.get(2).id()).isEqualTo(out.get(0).id());
        assertThat(t.store.allEvents()).hasSize(2);

        // one bad event refuses the batch, naming it by its place; nothing of it is written
        PublishEvent.Request bad =
                new PublishEvent.Request("no.such.type", acme.id().value(), "{}", "{}", null, null);
        assertThatThrownBy(() -> publish.publishBatch(List.of(seats("ws_4", null), bad)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("events[1].type"));
        assertThat(t.store.allEvents()).hasSize(2);
        assertThatThrownBy(() -> publish.publishBatch(List.of())).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsWritten() {
        t.endpoint(acme, "*");
        assertThat(errors(new PublishEvent.Request(null, null, "{}", "{}", null, null)))
                .extracting(FieldError::field)
                .containsExactly("type", "partner_id");
        assertThat(errors(new PublishEvent.Request("Not A Type", "ptn_x", "{}", "{}", "", null)))
                .extracting(FieldError::field)
                .containsExactly("type", "idempotency_key", "partner_id");
        assertThat(errors(
                        new PublishEvent.Request("nothing.like.this", acme.id().value(), "{}", "{}", null, null)))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("event catalog"));
        assertThat(errors(new PublishEvent.Request(SEATS, "ptn_01NOSUCHPARTNER", "{}", example(SEATS), null, null)))
                .singleElement()
                .isEqualTo(new FieldError("partner_id", "no such partner"));
        // data that does not match the type's schema: the schema's complaint, at its path
        assertThat(errors(new PublishEvent.Request(
                        SEATS, acme.id().value(), "{}", "{\"workspace_id\":\"ws_1\"}", null, null)))
                .isNotEmpty();
        assertThat(errors(new PublishEvent.Request(
                        SEATS, acme.id().value(), "{}", example(SEATS), "x".repeat(201), null)))
                .extracting(FieldError::field)
                .containsExactly("idempotency_key");
        assertThat(t.store.allEvents()).isEmpty();
        assertThat(woken).hasValue(0);
    }

    private List<FieldError> errors(PublishEvent.Request r) {
        try {
            publish.publish(r);
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("accepted " + r);
    }

    @Test
    void aNewerStateSupersedesTheOlderWaitingDeliveryOfAnEndpointWithCollapseOn() {
        Endpoint collapsing = t.endpoint(acme, null, Endpoint.Profile.DEFAULT.withCollapse(true), null, "*");
        Endpoint plain = t.endpoint(acme, "*");
        String subject = "{\"phone_number_id\":\"106\",\"waba_id\":\"w1\"}";
        PublishEvent.Request quality =
                new PublishEvent.Request(QUALITY, acme.id().value(), subject, example(QUALITY), null, null);

        PublishEvent.Published older = publish.publish(quality);
        PublishEvent.Published newer = publish.publish(quality);

        assertThat(newer.superseded()).isEqualTo(1);
        assertThat(deliveries(older))
                .filteredOn(d -> d.endpointId().equals(collapsing.id()))
                .extracting(Delivery::status)
                .containsExactly(DeliveryStatus.SUPERSEDED);
        assertThat(deliveries(older))
                .filteredOn(d -> d.endpointId().equals(plain.id()))
                .extracting(Delivery::status)
                .containsExactly(DeliveryStatus.PENDING);
        assertThat(deliveries(newer)).extracting(Delivery::status).containsOnly(DeliveryStatus.PENDING);
    }

    @Test
    void anOrderedEndpointHoldsTheSecondEventOfAKeyBehindTheFirst() {
        Endpoint ordered = t.endpoint(
                acme, null, Endpoint.Profile.DEFAULT.withOrdering(Endpoint.Profile.ORDERING_ORDERED), null, "*");
        PublishEvent.Published first = publish.publish(seats("ws_1", null));
        PublishEvent.Published second = publish.publish(seats("ws_1", null));
        PublishEvent.Published otherKey = publish.publish(seats("ws_2", null));

        Delivery head = deliveries(first).get(0);
        assertThat(head.heldBy()).isNull();
        assertThat(head.nextAttemptAt()).isEqualTo(TestData.T0);
        Delivery held = deliveries(second).get(0);
        assertThat(held.endpointId()).isEqualTo(ordered.id());
        assertThat(held.heldBy()).isEqualTo(head.id());
        assertThat(held.nextAttemptAt()).isNull();
        assertThat(deliveries(otherKey).get(0).heldBy()).isNull();
    }

    @Test
    void aTypeWithNoSubscriberIsStillLoggedWithNothingToDeliver() {
        t.endpoint(acme, "channel.*");
        PublishEvent.Published p = publish.publish(seats("ws_1", null));
        assertThat(t.store.events().find(acme.id(), p.id())).isPresent();
        assertThat(deliveries(p)).isEmpty();
        assertThat(woken).hasValue(0);
    }
}
