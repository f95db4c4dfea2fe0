package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.sdk.client.CreatedPartner;
import io.partnerhooks.sdk.client.Delivery;
import io.partnerhooks.sdk.client.Endpoint;
import io.partnerhooks.sdk.client.EndpointUpdate;
import io.partnerhooks.sdk.client.Event;
import io.partnerhooks.sdk.client.EventQuery;
import io.partnerhooks.sdk.client.Json;
import io.partnerhooks.sdk.client.NewEndpoint;
import io.partnerhooks.sdk.client.NewEvent;
import io.partnerhooks.sdk.client.PartnerClient;
import io.partnerhooks.sdk.client.PartnerhooksException;
import io.partnerhooks.sdk.client.PlatformClient;
import io.partnerhooks.sdk.client.PublishedEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's Java client against the real server, its real database and a real receiver. */
public abstract class SdkClientTest extends AppTestBase {
    private static final String TYPE = "workspace.seats.exhausted";

    private PlatformClient platform;
    private CreatedPartner acme;
    private PartnerClient partner;

    @BeforeEach
    void clients() {
        URI base = URI.create("http://127.0.0.1:" + app.port());
        platform = PlatformClient.create(base, OPERATOR);
        acme = platform.createPartner("Acme");
        partner = PartnerClient.create(base, acme.apiKey());
    }

    private static Map<String, Object> seats(int used) {
        return Json.parseObject(validData(TYPE, "{\"workspace_id\":\"ws_sdk\",\"seats_used\":" + used + "}"));
    }

    private NewEvent seatsEvent(int used) {
        return NewEvent.of(TYPE, acme.id(), seats(used)).withSubject(Map.of("workspace_id", "ws_sdk"));
    }

    @Test
    void publishesOneEventAndARepeatedIdempotencyKeyAnswersTheSameId() {
        Endpoint ep = partner.createEndpoint(NewEndpoint.of(receiver.url("/sdk"), "workspace.*"));
        assertThat(ep.secret()).startsWith("whsec_");

        PublishedEvent first = platform.publish(seatsEvent(10).withIdempotencyKey("seats-ws_sdk-1"));
        PublishedEvent again = platform.publish(seatsEvent(10).withIdempotencyKey("seats-ws_sdk-1"));
        assertThat(first.id()).startsWith("evt_");
        assertThat(first.created()).isTrue();
        assertThat(again).isEqualTo(new PublishedEvent(first.id(), false));

        Event e = partner.getEvent(first.id());
        assertThat(e.type()).isEqualTo(TYPE);
        assertThat(e.partnerId()).isEqualTo(acme.id());
        assertThat(e.idempotencyKey()).isEqualTo("seats-ws_sdk-1");
        assertThat(e.subject()).containsEntry("workspace_id", "ws_sdk");
        assertThat(e.data()).containsEntry("seats_used", 10L);
        assertThat(e.sequence()).isEqualTo(1);

        await().atMost(WAIT)
                .until(() -> partner.eventDeliveries(first.id()).stream()
                        .allMatch(d -> d.status().equals("delivered")));
        List<Delivery> ds = partner.eventDeliveries(first.id());
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.endpointId()).isEqualTo(ep.id());
            assertThat(d.attempts())
                    .singleElement()
                    .satisfies(a -> assertThat(a.httpStatus()).isEqualTo(200));
        });
        assertThat(partner.getDelivery(ds.get(0).id()).eventId()).isEqualTo(first.id());
        assertThat(partner.endpointDeliveries(ep.id(), "delivered", 10, null).data())
                .extracting(Delivery::id)
                .containsExactly(ds.get(0).id());
        // a delivered delivery cannot be retried: a typed 409
        assertThatThrownBy(() -> partner.retryDelivery(ds.get(0).id()))
                .isInstanceOf(PartnerhooksException.Conflict.class);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void publishesABatchAnsweredInRequestOrderAndListsTheEvents() {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(seatsEvent(i));
        }
        events.add(seatsEvent(99).withIdempotencyKey("dup"));
        events.add(seatsEvent(98).withIdempotencyKey("dup"));
        List<PublishedEvent> ids = platform.publishBatch(events);
        assertThat(ids).hasSize(6);
        for (int i = 0; i < 4; i++) {
            assertThat(partner.getEvent(ids.get(i).id()).data()).containsEntry("seats_used", (long) i);
        }
        // the key seen earlier in the same batch answers the first event's id
        assertThat(ids.get(5)).isEqualTo(new PublishedEvent(ids.get(4).id(), false));

        var page = partner.listEvents(
                EventQuery.all().type("workspace.*").workspaceId("ws_sdk").limit(3));
        assertThat(page.data()).hasSize(3);
        assertThat(page.nextCursor()).isNotNull();
        var rest =
                partner.listEvents(EventQuery.all().type("workspace.*").limit(3).after(page.nextCursor()));
        assertThat(rest.isLast()).isTrue();
        List<String> listed = new ArrayList<>();
        page.data().forEach(e -> listed.add(e.id()));
        rest.data().forEach(e -> listed.add(e.id()));
        // two pages, no event twice (the test clock stands still, so all share one created_at)
        assertThat(listed)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(
                        ids.get(4).id(),
                        ids.get(3).id(),
                        ids.get(2).id(),
                        ids.get(1).id(),
                        ids.get(0).id());
        assertThat(partner.listEvents().data()).hasSize(5);
    }

    @Test
    void refusalsAreTypedExceptionsNamingTheField() {
        Map<String, Object> noWorkspace = new LinkedHashMap<>(seats(1));
        noWorkspace.remove("workspace_id");
        assertThatThrownBy(() -> platform.publish(NewEvent.of(TYPE, acme.id(), noWorkspace)))
                .isInstanceOfSatisfying(PartnerhooksException.InvalidInput.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("urn:partnerhooks:problem:invalid-input");
                    assertThat(e.field()).contains("data.workspace_id");
                    assertThat(e.getMessage()).contains("data.workspace_id");
                });
        assertThatThrownBy(
                        () -> platform.publishBatch(List.of(seatsEvent(1), NewEvent.of(TYPE, acme.id(), noWorkspace))))
                .isInstanceOfSatisfying(
                        PartnerhooksException.InvalidInput.class,
                        e -> assertThat(e.errors())
                                .extracting(PartnerhooksException.FieldError::field)
                                .contains("events[1].data.workspace_id"));
        assertThat(partner.listEvents().data()).isEmpty();

        assertThatThrownBy(() -> partner.createEndpoint(NewEndpoint.of(receiver.url("/x"), "workspace.nope")))
                .isInstanceOfSatisfying(
                        PartnerhooksException.InvalidInput.class,
                        e -> assertThat(e.field()).contains("event_types[0]"));

        PartnerClient stranger = PartnerClient.create(URI.create("http://127.0.0.1:" + app.port()), "phk_not-a-key");
        assertThatThrownBy(stranger::listEndpoints)
                .isInstanceOfSatisfying(
                        PartnerhooksException.Unauthorized.class,
                        e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> partner.getEvent("evt_01JD3X0000000000000000000B"))
                .isInstanceOf(PartnerhooksException.NotFound.class);
    }

    @Test
    void endpointsAreCreatedListedChangedAndDeleted() {
        Endpoint a = partner.createEndpoint(NewEndpoint.of(receiver.url("/a"), List.of("workspace.*", "channel.live"))
                .description("billing")
                .maxInFlight(3)
                .headers(Map.of("X-Receiver-Key", "s3cret")));
        Endpoint b =
                partner.createEndpoint(NewEndpoint.of(receiver.url("/b"), "*").enabled(false));
        assertThat(a.state()).isEqualTo("active");
        assertThat(a.eventTypes()).containsExactly("workspace.*", "channel.live");
        assertThat(a.raw()).containsEntry("max_in_flight", 3L);
        assertThat(b.enabled()).isFalse();
        assertThat(partner.endpointSecret(a.id())).isEqualTo(a.secret());
        assertThat(partner.listEndpoints()).extracting(Endpoint::id).containsExactlyInAnyOrder(a.id(), b.id());

        Endpoint changed = partner.updateEndpoint(
                a.id(),
                EndpointUpdate.create()
                        .description("all of it")
                        .eventTypes(List.of("*"))
                        .rateLimitPerSecond(5));
        assertThat(changed.description()).isEqualTo("all of it");
        assertThat(changed.eventTypes()).containsExactly("*");
        assertThat(changed.raw()).containsEntry("rate_limit_per_second", 5L);
        assertThat(changed.secret()).isNull();
        assertThat(partner.updateEndpoint(a.id(), EndpointUpdate.create().noRateLimit())
                        .raw())
                .containsEntry("rate_limit_per_second", null);
        assertThat(partner.getEndpoint(a.id()).description()).isEqualTo("all of it");
        Endpoint filtered = partner.updateEndpoint(
                a.id(), EndpointUpdate.create().filter(List.of("ws_a"), List.of(), List.of("+4915112345678")));
        assertThat(filtered.raw().get("filter"))
                .isEqualTo(Map.of(
                        "workspace_ids",
                        List.of("ws_a"),
                        "channel_ids",
                        List.of(),
                        "phone_numbers",
                        List.of("+4915112345678")));
        assertThat(partner.updateEndpoint(a.id(), EndpointUpdate.create().noFilter())
                        .raw())
                .containsEntry("filter", null);
        Endpoint c = partner.createEndpoint(
                NewEndpoint.of(receiver.url("/c"), "*").filter(List.of(), List.of("ch_1"), List.of()));
        assertThat(c.raw().get("filter").toString()).contains("ch_1");
        partner.deleteEndpoint(c.id());

        partner.deleteEndpoint(b.id());
        assertThatThrownBy(() -> partner.getEndpoint(b.id())).isInstanceOf(PartnerhooksException.NotFound.class);
        assertThat(partner.listEndpoints()).extracting(Endpoint::id).containsExactly(a.id());

        // another partner's endpoint is not found, not forbidden
        PartnerClient other = PartnerClient.create(
                URI.create("http://127.0.0.1:" + app.port()),
                platform.createPartner("Other").apiKey());
        assertThatThrownBy(() -> other.getEndpoint(a.id())).isInstanceOf(PartnerhooksException.NotFound.class);
        // a second key of the same partner sees the same endpoints
        PartnerClient second = PartnerClient.create(
                URI.create("http://127.0.0.1:" + app.port()),
                platform.createApiKey(acme.id()).apiKey());
        assertThat(second.listEndpoints()).extracting(Endpoint::id).containsExactly(a.id());
    }
}
