package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registering, changing and removing endpoints: every field checked first, nothing half-written. */
class ManageEndpointsTest {
    private final TestData t = new TestData();
    private final ManageEndpoints manage = new ManageEndpoints(
            t.store.endpoints(), t.store.queue(), AddressPolicy.denyInternal(), t.ids, t.clock, t.random);
    private final Partner acme = t.partner("acme");

    private static EndpointChange create(String url, List<String> types) {
        return new EndpointChange(url, types, null, null);
    }

    private List<FieldError> errors(EndpointChange c) {
        try {
            manage.register(acme.id(), c);
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("accepted " + c);
    }

    @Test
    void aRegisteredEndpointHasDefaultsAFreshSecretAndIsStored() {
        Endpoint e = manage.register(acme.id(), create("https://hooks.example.com/in", List.of("workspace.*")));
        assertThat(e.id().value()).startsWith(Ids.ENDPOINT);
        assertThat(e.enabled()).isTrue();
        assertThat(e.secret()).startsWith("whsec_");
        assertThat(e.limits()).isEqualTo(Endpoint.Limits.DEFAULT);
        assertThat(e.format()).isEqualTo("standard");
        assertThat(e.createdAt()).isEqualTo(TestData.T0);
        assertThat(manage.get(acme.id(), e.id())).isEqualTo(e);
        Endpoint second = manage.register(acme.id(), create("https://hooks.example.com/2", List.of("*")));
        assertThat(second.secret()).isNotEqualTo(e.secret());
        assertThat(manage.list(acme.id())).containsExactlyInAnyOrder(e, second);
    }

    @Test
    void missingAndMalformedFieldsAreAllNamedAtOnceAndNothingIsStored() {
        assertThat(errors(create(null, null))).extracting(FieldError::field).containsExactly("url", "event_types");
        assertThat(errors(new EndpointChange(
                        "ftp://example.com",
                        List.of("Bad Type", "workspace"),
                        "d".repeat(501),
                        null,
                        0,
                        0,
                        false,
                        "no-such-format",
                        Map.of(),
                        null,
                        "sideways",
                        null)))
                .extracting(FieldError::field)
                .containsExactly(
                        "url",
                        "event_types[0]",
                        "event_types[1]",
                        "max_in_flight",
                        "rate_limit_per_second",
                        "format",
                        "ordering",
                        "description");
        assertThat(manage.list(acme.id())).isEmpty();
    }

    @Test
    void eachRuleSaysWhatIsWrong() {
        assertThat(errors(create("https://10.0.0.1/hook", List.of("*"))))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("points at a forbidden address"));
        assertThat(errors(create("https://user:pw@example.com/", List.of("*"))))
                .singleElement()
                .isEqualTo(new FieldError("url", "must not contain credentials (user-info)"));
        // a prefix of catalog types without .* is a typo: the answer says how to write it
        assertThat(errors(create("https://example.com/", List.of("workspace.quota"))))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("workspace.quota.*"));
        assertThat(errors(create("https://example.com/", List.of("nothing.here.*"))))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("names no event type"));
        assertThat(errors(create("https://example.com/", List.of())))
                .singleElement()
                .isEqualTo(new FieldError("event_types", "must list at least one type or pattern"));
        assertThat(errors(new EndpointChange(
                        "https://example.com/",
                        List.of("*"),
                        null,
                        null,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        new SubjectFilter(List.of(" "), List.of(), List.of()))))
                .singleElement()
                .isEqualTo(new FieldError("filter.workspace_ids[0]", "must be a non-empty string"));
        assertThat(errors(new EndpointChange("https://example.com/", List.of("*"), null, null, 101, 10_001, false)))
                .extracting(FieldError::field)
                .containsExactly("max_in_flight", "rate_limit_per_second");
    }

    @Test
    void anUpdateChangesWhatIsGivenKeepsTheRestAndCanClearARateLimit() {
        Endpoint e = manage.register(
                acme.id(), new EndpointChange("https://example.com/a", List.of("*"), "first", null, 3, 20, false));
        t.clock.advance(Duration.ofSeconds(5));
        Endpoint u = manage.update(acme.id(), e.id(), new EndpointChange(null, List.of("channel.*"), null, null));
        assertThat(u.url()).isEqualTo("https://example.com/a");
        assertThat(u.eventTypes()).containsExactly("channel.*");
        assertThat(u.description()).isEqualTo("first");
        assertThat(u.limits()).isEqualTo(new Endpoint.Limits(3, 20));
        assertThat(u.secret()).isEqualTo(e.secret());
        assertThat(u.updatedAt()).isEqualTo(TestData.T0.plusSeconds(5));
        Endpoint cleared =
                manage.update(acme.id(), e.id(), new EndpointChange(null, null, null, null, null, null, true));
        assertThat(cleared.limits()).isEqualTo(new Endpoint.Limits(3, null));
        // a bad change is refused before the endpoint is looked at, and changes nothing
        assertThatThrownBy(() -> manage.update(acme.id(), e.id(), new EndpointChange("nope", null, null, null)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(manage.get(acme.id(), e.id())).isEqualTo(cleared);
    }

    @Test
    void anotherPartnersEndpointIsNotFoundForEveryVerb() {
        Endpoint e = manage.register(acme.id(), create("https://example.com/a", List.of("*")));
        Partner other = t.partner("other");
        assertThatThrownBy(() -> manage.get(other.id(), e.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> manage.update(other.id(), e.id(), create(null, List.of("*"))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> manage.delete(other.id(), e.id())).isInstanceOf(NotFoundException.class);
        assertThat(manage.list(other.id())).isEmpty();
        assertThatThrownBy(() -> ManageEndpoints.parseId("junk")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingFailsThePendingDeliveriesAndReEnablingRequeuesWhatFailedWhileOff() {
        Endpoint e = manage.register(acme.id(), create("https://example.com/a", List.of("*")));
        // one delivery failed for good while the endpoint was on; the partner then turns it off and on
        Event ev = new Event(
                new EventId(t.ids.next(Ids.EVENT)),
                acme.id(),
                "workspace.seats.exhausted",
                "{}",
                "{}",
                TestData.T0,
                null);
        DeliveryId d = new DeliveryId(t.ids.next(Ids.DELIVERY));
        t.store.events().append(ev, List.of(new NewDelivery(d, e.id())));
        DeliveryQueue.Claimed c = t.store
                .queue()
                .claimDue(TestData.T0, 10, Duration.ofSeconds(30))
                .get(0);
        t.store
                .queue()
                .complete(
                        c.id(),
                        c.leaseToken(),
                        new Attempt(new AttemptId(t.ids.next(Ids.ATTEMPT)), 1, TestData.T0, 5, 500, null, "no"),
                        new DeliveryQueue.Next.GiveUp(),
                        TestData.T0);
        manage.update(acme.id(), e.id(), new EndpointChange(null, null, null, false));
        assertThat(t.store.delivery(d).status()).isEqualTo(DeliveryStatus.FAILED);

        t.clock.advance(Duration.ofMinutes(1));
        Endpoint back = manage.update(acme.id(), e.id(), new EndpointChange(null, null, null, true));
        assertThat(back.enabled()).isTrue();
        assertThat(t.store.delivery(d).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(t.store.delivery(d).nextAttemptAt()).isEqualTo(TestData.T0.plusSeconds(60));

        manage.delete(acme.id(), e.id());
        assertThat(t.store.delivery(d).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThatThrownBy(() -> manage.get(acme.id(), e.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> manage.delete(acme.id(), e.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPartnerHasOneDefaultEndpointPerFormatWhoseFormatIsFixed() {
        Endpoint first = manage.setDefault(acme.id(), "99digital", "https://example.com/one");
        assertThat(first.profile().role()).isEqualTo(Endpoint.ROLE_DEFAULT);
        assertThat(first.eventTypes()).containsExactly("*");
        // setting it again moves the same endpoint, keeping its secret
        Endpoint moved = manage.setDefault(acme.id(), "99digital", "https://example.com/two");
        assertThat(moved.id()).isEqualTo(first.id());
        assertThat(moved.url()).isEqualTo("https://example.com/two");
        assertThat(moved.secret()).isEqualTo(first.secret());
        assertThat(manage.findDefault(acme.id(), "99digital")).contains(moved);
        assertThat(manage.findDefault(acme.id(), "360dialog")).isEmpty();
        assertThatThrownBy(() -> manage.update(
                        acme.id(),
                        first.id(),
                        new EndpointChange(null, null, null, null, null, null, false, "standard", null)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        x -> assertThat(x.errors())
                                .extracting(FieldError::field)
                                .containsExactly("format"));
        assertThatThrownBy(() -> manage.setDefault(acme.id(), "99digital", "mailto:x@example.com"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(manage.list(acme.id())).hasSize(1);
    }
}
