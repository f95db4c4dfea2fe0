package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.testing.TestData;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A test send: the catalog's example, to one endpoint only, marked as a test, numbered apart. */
class SendTestEventTest {
    private static final EventCatalog CATALOG = EventCatalog.load();
    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final SendTestEvent send =
            new SendTestEvent(t.store.endpoints(), t.store.events(), CATALOG, t.ids, t.clock, woken::incrementAndGet);
    private final Partner acme = t.partner("acme");

    @Test
    void theExampleGoesToThatEndpointOnlyEvenWhenItDoesNotSubscribe() {
        Endpoint channels = t.endpoint(acme, "channel.*");
        t.endpoint(acme, "*");
        SendTestEvent.Sent sent = send.send(acme.id(), channels.id(), "workspace.seats.exhausted");

        Event e = t.store.events().find(acme.id(), sent.eventId()).orElseThrow();
        assertThat(e.test()).isTrue();
        assertThat(e.subjectKey()).isEqualTo(SendTestEvent.SUBJECT_KEY);
        assertThat(e.dataJson())
                .isEqualTo(
                        CATALOG.find("workspace.seats.exhausted").orElseThrow().exampleJson());
        assertThat(t.store.deliveriesOf(e.id()))
                .extracting(Delivery::id, Delivery::endpointId)
                .containsExactly(tuple(sent.deliveryId(), channels.id()));
        assertThat(woken).hasValue(1);
    }

    @Test
    void withoutATypeTheFirstSubscribedCatalogTypeIsSent() {
        Endpoint channels = t.endpoint(acme, "channel.*");
        assertThat(send.send(acme.id(), channels.id(), null).type()).startsWith("channel.");
    }

    @Test
    void anUnknownTypeOrAnotherPartnersEndpointIsRefused() {
        Endpoint e = t.endpoint(acme, "*");
        assertThatThrownBy(() -> send.send(acme.id(), e.id(), "no.such.type"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> send.send(t.partner("other").id(), e.id(), null))
                .isInstanceOf(NotFoundException.class);
        assertThat(t.store.allEvents()).isEmpty();
    }
}
