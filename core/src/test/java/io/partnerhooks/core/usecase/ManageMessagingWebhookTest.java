package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.delivery.CloudApiFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.port.WebhookHandshake;
import io.partnerhooks.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A number's messaging webhook: one per channel, cloud_api format, the handshake checked before anything is stored. */
class ManageMessagingWebhookTest {
    private final TestData t = new TestData();
    private final Partner acme = t.partner("acme");
    private final List<String> handshakes = new ArrayList<>();
    /** Answers like a receiver that knows one verify token and echoes the challenge for it only. */
    private final WebhookHandshake handshake = (url, token, challenge) -> {
        handshakes.add(url + " " + token);
        return token.equals("right") ? Optional.empty() : Optional.of("answered 403");
    };

    private final ManageMessagingWebhook webhooks = new ManageMessagingWebhook(
            t.store.entities(), t.store.endpoints(), AddressPolicy.denyInternal(), handshake, t.ids, t.clock, t.random);

    ManageMessagingWebhookTest() {
        RecordFacts facts = new RecordFacts(
                t.store.entities(),
                t.store.workspaces(),
                t.store.partners(),
                t.store.endpoints(),
                t.ids,
                t.clock,
                t.random,
                () -> {});
        facts.upsertClient("cl_1", acme.id().value(), "Client", null);
        facts.upsertChannel(
                "ch_1",
                new RecordFacts.ChannelFields(acme.id().value(), "cl_1", "+4915112345678", null, "106", null, null));
    }

    @Test
    void settingItAgainMovesTheUrlAndKeepsTheSecret() {
        Endpoint first = webhooks.set(
                acme.id(),
                "ch_1",
                new ManageMessagingWebhook.Request("https://example.com/a", Map.of("X-Team", "t1"), null));
        assertThat(first.format()).isEqualTo(CloudApiFormat.NAME);
        assertThat(first.profile().role()).isEqualTo(Endpoint.ROLE_MESSAGING);
        assertThat(first.profile().channelId()).isEqualTo("ch_1");
        // a messaging webhook gets its number's relays only, never type fan-out
        assertThat(first.accepts("message.received")).isFalse();

        Endpoint second = webhooks.set(
                acme.id(),
                "ch_1",
                new ManageMessagingWebhook.Request(
                        "https://example.com/b",
                        null,
                        null,
                        Endpoint.Profile.ORDERING_ORDERED,
                        Endpoint.Profile.MONOTONIC));
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.secret()).isEqualTo(first.secret());
        assertThat(second.profile().headers()).isEmpty();
        assertThat(webhooks.get(acme.id(), "ch_1").url()).isEqualTo("https://example.com/b");
        // what is not given again is kept
        Endpoint third = webhooks.set(
                acme.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/c", null, null));
        assertThat(third.profile().ordered()).isTrue();
        assertThat(third.profile().statusOrder()).isEqualTo(Endpoint.Profile.MONOTONIC);
        assertThat(t.store.endpoints().list(acme.id())).hasSize(1);
        assertThat(handshakes).isEmpty();
    }

    @Test
    void aFailedHandshakeNamesBothFieldsAndStoresNothing() {
        assertThatThrownBy(() -> webhooks.set(
                        acme.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/a", null, "wrong")))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("verify_token", "url"));
        assertThat(webhooks.find(acme.id(), "ch_1")).isEmpty();
        Endpoint ok = webhooks.set(
                acme.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/a", null, "right"));
        assertThat(handshakes).containsExactly("https://example.com/a wrong", "https://example.com/a right");
        assertThat(webhooks.find(acme.id(), "ch_1")).contains(ok);
    }

    @Test
    void badFieldsAndOtherPartnersChannelsAreRefused() {
        assertThatThrownBy(() -> webhooks.set(
                        acme.id(), "ch_1", new ManageMessagingWebhook.Request(null, null, "", "sideways", "random")))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("url", "ordering", "verify_token", "status_order"));
        assertThat(handshakes).isEmpty();
        Partner other = t.partner("other");
        assertThatThrownBy(() -> webhooks.set(
                        other.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/a", null, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> webhooks.get(acme.id(), "ch_1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingRemovesIt() {
        webhooks.set(acme.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/a", null, null));
        webhooks.delete(acme.id(), "ch_1");
        assertThat(webhooks.find(acme.id(), "ch_1")).isEmpty();
        assertThatThrownBy(() -> webhooks.delete(acme.id(), "ch_1")).isInstanceOf(NotFoundException.class);
    }
}
