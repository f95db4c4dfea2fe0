package io.partnerhooks.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.WebhookTransport.OutgoingRequest;
import io.partnerhooks.server.support.TestReceiver;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JettyWebhookTransportTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(JettyWebhookTransport.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(JettyWebhookTransport.retryAfter("Sun, 22 Nov 2026 12:01:30 GMT", NOW))
                .contains(Duration.ofSeconds(90));
        assertThat(JettyWebhookTransport.retryAfter("Sun, 22 Nov 2026 11:00:00 GMT", NOW))
                .contains(Duration.ZERO);
        assertThat(JettyWebhookTransport.retryAfter("soon", NOW)).isEmpty();
        assertThat(JettyWebhookTransport.retryAfter("-5", NOW)).isEmpty();
        assertThat(JettyWebhookTransport.retryAfter(null, NOW)).isEmpty();
    }

    @Test
    void aForbiddenAddressIsBlockedBeforeAnyConnection() throws Exception {
        try (TestReceiver receiver = new TestReceiver();
                JettyWebhookTransport t = new JettyWebhookTransport(
                        AddressPolicy.parse(""),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Clock.fixed(NOW, ZoneOffset.UTC))) {
            for (String url : new String[] {
                receiver.url("/x"),
                "http://localhost:" + receiver.port() + "/x",
                "http://2130706433:" + receiver.port() + "/x",
                "http://[::1]:" + receiver.port() + "/x"
            }) {
                DeliveryOutcome o = t.send(new OutgoingRequest(URI.create(url), Map.of(), "{}".getBytes()));
                assertThat(o).as(url).isInstanceOf(DeliveryOutcome.Blocked.class);
                assertThat(o.errorClass()).isEqualTo("blocked");
            }
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void onlyTheFirst4KiBOfAnAnswerAreKept() throws Exception {
        try (TestReceiver receiver = new TestReceiver();
                JettyWebhookTransport t = new JettyWebhookTransport(
                        AddressPolicy.parse("127.0.0.0/8"),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Clock.fixed(NOW, ZoneOffset.UTC))) {
            receiver.then(new TestReceiver.Behaviour.Answer(200, "y".repeat(100_000), Map.of()));
            DeliveryOutcome o = t.send(new OutgoingRequest(
                    URI.create(receiver.url("/big")), Map.of("content-type", "application/json"), "{}".getBytes()));
            assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(o.excerpt()).hasSize(JettyWebhookTransport.MAX_RESPONSE_BYTES);
            receiver.then(new TestReceiver.Behaviour.Answer(503, "later", Map.of("Retry-After", "30")));
            DeliveryOutcome busy =
                    t.send(new OutgoingRequest(URI.create(receiver.url("/busy")), Map.of(), "{}".getBytes()));
            assertThat(busy).isEqualTo(new DeliveryOutcome.Rejected(503, "later", Optional.of(Duration.ofSeconds(30))));
        }
    }
}
