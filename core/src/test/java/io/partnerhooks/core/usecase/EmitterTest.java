package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fan-out every source shares: one delivery per endpoint whose types and subject filter let the event through. */
class EmitterTest {
    private final TestData t = new TestData();
    private final Partner acme = t.partner("acme");
    private final Emitter emitter = new Emitter(t.ids);

    private Emitter.Emitted emit(String type, String subject, boolean collapsible, Endpoint... subscribers) {
        return emitter.emit(
                acme.id(),
                type,
                subject,
                "workspace_id:ws_1",
                "{}",
                TestData.T0,
                null,
                List.of(subscribers),
                collapsible);
    }

    @Test
    void typesAndSubjectFiltersChooseTheEndpoints() {
        Endpoint all = t.endpoint(acme, "*");
        Endpoint channels = t.endpoint(acme, "channel.*");
        Endpoint ws1 = t.endpoint(acme, null, null, new SubjectFilter(List.of("ws_1"), List.of(), List.of()), "*");
        Endpoint number = t.endpoint(acme, null, null, new SubjectFilter(List.of(), List.of(), List.of("+4930")), "*");
        Endpoint messaging = t.endpoint(
                acme, null, new Endpoint.Profile("cloud_api", null, "ch_1", Endpoint.ROLE_MESSAGING), null, "*");

        Emitter.Emitted e = emit(
                "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}",
                false,
                all,
                channels,
                ws1,
                number,
                messaging);
        assertThat(e.event().type()).isEqualTo("workspace.seats.exhausted");
        assertThat(e.event().subjectKey()).isEqualTo("workspace_id:ws_1");
        assertThat(e.deliveries()).extracting(NewDelivery::endpointId).containsExactly(all.id(), ws1.id());
        assertThat(e.deliveries()).allSatisfy(d -> {
            assertThat(d.supersedes()).isFalse();
            assertThat(d.orderingKey()).isNull();
            assertThat(d.leaseToken()).isNull();
        });
        // an unreadable or missing subject has no ids: a filtered endpoint skips it, the others do not
        assertThat(emit("workspace.seats.exhausted", "not json", false, all, ws1)
                        .deliveries())
                .extracting(NewDelivery::endpointId)
                .containsExactly(all.id());
        assertThat(emit("workspace.seats.exhausted", null, false, all, ws1).deliveries())
                .extracting(NewDelivery::endpointId)
                .containsExactly(all.id());
    }

    @Test
    void collapseAndOrderingMarkTheDeliveriesOfTheEndpointsThatAskForThem() {
        Endpoint collapsing = t.endpoint(acme, null, Endpoint.Profile.DEFAULT.withCollapse(true), null, "*");
        Endpoint ordered = t.endpoint(
                acme, null, Endpoint.Profile.DEFAULT.withOrdering(Endpoint.Profile.ORDERING_ORDERED), null, "*");
        Endpoint plain = t.endpoint(acme, "*");

        List<NewDelivery> state = emit("phone_number.quality.changed", "{}", true, collapsing, ordered, plain)
                .deliveries();
        assertThat(state).extracting(NewDelivery::supersedes).containsExactly(true, false, false);
        assertThat(state).extracting(NewDelivery::orderingKey).containsExactly(null, "workspace_id:ws_1", null);
        // a type that is not a state never supersedes
        assertThat(emit("message.received", "{}", false, collapsing).deliveries())
                .extracting(NewDelivery::supersedes)
                .containsExactly(false);
    }
}
