package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.TestReceiver.Behaviour;
import io.partnerhooks.server.support.TestReceiver.Received;
import io.partnerhooks.storage.Database;
import io.partnerhooks.storage.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real database: the app on port 0, a real HTTP receiver, partner + endpoint +
 * publish, and the retries at their scheduled times on an injected clock. One subclass per database.
 */
public abstract class EndToEndTest extends AppTestBase {
    void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
    }

    @Test
    void aPublishedEventArrivesSignedSoThatStandardWebhooksVerifiesIt() throws Exception {
        String[] p = partner("Acme BSP");
        JsonNode ep = endpoint(p[1], receiver.url("/hooks"), "[\"workspace.*\"]");
        String secret = ep.get("secret").asText();
        assertThat(secret).startsWith("whsec_");

        String data =
                "{\"quota_limit\":10000,\"quota_used\":9150,\"utilization_pct\":91,\"note\":\"caf\u00e9 \u00fc\"}";
        String eventId = publish(p[0], "workspace.quota.messaging.near_limit", data);

        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks");
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.header("user-agent")).startsWith("Partnerhooks/");
        assertThat(r.header("webhook-id")).isEqualTo(eventId);
        assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(T0.getEpochSecond()));

        JsonNode body = Api.JSON.readTree(r.body());
        assertThat(body.get("id").asText()).isEqualTo(eventId);
        assertThat(body.get("type").asText()).isEqualTo("workspace.quota.messaging.near_limit");
        assertThat(body.get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(body.get("created_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertThat(body.get("subject")).isEqualTo(Api.JSON.readTree("{\"workspace_id\":\"ws_12345\"}"));
        assertThat(body.get("sequence").asLong()).isEqualTo(1);
        // the fields this test set went out exactly as published (the rest came from the catalog's example)
        Api.JSON
                .readTree(data)
                .fields()
                .forEachRemaining(f -> assertThat(body.get("data").get(f.getKey()))
                        .as(f.getKey())
                        .isEqualTo(f.getValue()));

        // Our SDK verifies it at the (frozen) time it was sent; the independent Standard Webhooks
        // library computes the very same header. (The library's own verify() checks the timestamp
        // against the real clock; the next test covers it with a live timestamp.)
        new WebhookVerifier(secret)
                .verify(
                        r.body(),
                        r.header("webhook-id"),
                        r.header("webhook-timestamp"),
                        r.header("webhook-signature"),
                        T0);
        Webhook lib = new Webhook(secret);
        String expected = lib.sign(r.header("webhook-id"), T0.getEpochSecond(), r.bodyText());
        assertThat(r.header("webhook-signature")).isEqualTo(expected);

        JsonNode ds = deliveries(p[1], eventId);
        assertThat(ds).hasSize(1);
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("delivered"));
        JsonNode d = deliveries(p[1], eventId).get(0);
        assertThat(d.get("endpoint_id").asText()).isEqualTo(ep.get("id").asText());
        assertThat(d.get("attempts")).hasSize(1);
        assertThat(d.get("attempts").get(0).get("http_status").asInt()).isEqualTo(200);
        assertThat(d.get("attempts").get(0).get("response_excerpt").asText()).isEqualTo("ok");
        assertThat(d.get("next_attempt_at").isNull()).isTrue();
    }

    @Test
    void theStandardWebhooksLibraryVerifiesALiveDelivery() throws Exception {
        // With the clock at the real time, the library's own timestamp check passes as well.
        clock.advance(Duration.between(T0, Instant.now()));
        String[] p = partner("Live");
        String secret =
                endpoint(p[1], receiver.url("/live"), "[\"*\"]").get("secret").asText();
        publish(p[0], "channel.live", "{\"channel_id\":\"ch_1\"}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(r.header("webhook-id")),
                "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                "webhook-signature", List.of(r.header("webhook-signature")));
        new Webhook(secret).verify(r.bodyText(), headers);
    }

    @Test
    void aReceiverFailingTwiceGetsThreeAttemptsAtTheScheduledTimes() {
        receiver.then(TestReceiver.status(500), TestReceiver.status(500));
        String[] p = partner("Retry");
        endpoint(p[1], receiver.url("/flaky"), "[\"*\"]");
        String eventId = publish(p[0], "workspace.seats.exhausted", "{\"seats_purchased\":5}");

        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        JsonNode d = deliveries(p[1], eventId).get(0);
        assertThat(d.get("status").asText()).isEqualTo("pending");
        assertThat(d.get("next_attempt_at").asText()).isEqualTo("2026-11-22T12:00:05.000Z");

        moveClock(Duration.ofSeconds(4));
        // not due yet: one second early nothing happens (checked again after the next move)
        moveClock(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 2);
        assertThat(deliveries(p[1], eventId).get(0).get("next_attempt_at").asText())
                .isEqualTo("2026-11-22T12:00:35.000Z");

        moveClock(Duration.ofSeconds(30));
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("delivered"));

        JsonNode attempts = deliveries(p[1], eventId).get(0).get("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).get("attempted_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertThat(attempts.get(1).get("attempted_at").asText()).isEqualTo("2026-11-22T12:00:05.000Z");
        assertThat(attempts.get(2).get("attempted_at").asText()).isEqualTo("2026-11-22T12:00:35.000Z");
        assertThat(attempts.findValuesAsText("http_status")).containsExactly("500", "500", "200");
        assertThat(receiver.received()).hasSize(3);
        // the same webhook-id on every retry, so receivers can dedupe
        assertThat(receiver.received()).extracting(x -> x.header("webhook-id")).containsOnly(eventId);
    }

    @Test
    void metricsCountEventsDeliveriesAndTheQueue() {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("Metrics");
        endpoint(p[1], receiver.url("/m"), "[\"*\"]");
        String eventId = publish(p[0], "workspace.seats.exhausted", "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        await().atMost(WAIT)
                .until(() -> api.get("/metrics", null)
                        .body()
                        .contains("partnerhooks_delivery_attempts_total{result=\"failure\"} 1.0"));
        String m = api.get("/metrics", null).body();
        assertThat(m).contains("partnerhooks_events_published_total{domain=\"workspace\"} 1.0");
        assertThat(m).contains("partnerhooks_deliveries_completed_total{outcome=\"failed\"} 0.0");
        // the deprecated name, kept for one release
        assertThat(m).contains("partnerhooks_deliveries_total{outcome=\"retry_scheduled\"} 1.0");
        assertThat(m).contains("partnerhooks_attempt_failures_total{class=\"http_500\"} 1.0");
        assertThat(m).contains("partnerhooks_attempt_duration_seconds_count{success=\"false\"} 1");
        // one delivery waits for its retry: in the queue, not due yet on the frozen clock
        assertThat(m).contains("partnerhooks_queue_depth 1.0").contains("partnerhooks_queue_due 0.0");
        assertThat(m).contains("partnerhooks_endpoints{state=\"disabled\"} 0.0");
    }

    @Test
    void noAttemptIsMadeBeforeItIsDue() {
        receiver.then(TestReceiver.status(503));
        String[] p = partner("Early");
        endpoint(p[1], receiver.url("/x"), "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        moveClock(Duration.ofMillis(4_900));
        // give the dispatcher every chance to misbehave: the count must stay at one throughout
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aClosedSocketAndAHangAreRecordedAsTransportFailures() {
        receiver.then(new Behaviour.CloseSocket(), new Behaviour.Hang());
        String[] p = partner("Broken");
        endpoint(p[1], receiver.url("/broken"), "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        moveClock(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 2);
        JsonNode attempts = deliveries(p[1], eventId).get(0).get("attempts");
        assertThat(attempts.get(0).get("error_class").asText()).isEqualTo("connection_closed");
        assertThat(attempts.get(0).get("http_status").isNull()).isTrue();
        assertThat(attempts.get(1).get("error_class").asText()).isEqualTo("timeout");
        assertThat(deliveries(p[1], eventId).get(0).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() {
        receiver.then(new Behaviour.Answer(302, "moved", Map.of("Location", receiver.url("/elsewhere"))));
        String[] p = partner("Redirect");
        endpoint(p[1], receiver.url("/old"), "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        assertThat(deliveries(p[1], eventId)
                        .get(0)
                        .get("attempts")
                        .get(0)
                        .get("http_status")
                        .asInt())
                .isEqualTo(302);
        assertThat(receiver.received()).extracting(Received::path).containsExactly("/old");
    }

    @Test
    void onlyMatchingEnabledEndpointsGetADelivery() {
        String[] p = partner("Fanout");
        endpoint(p[1], receiver.url("/all"), "[\"*\"]");
        endpoint(p[1], receiver.url("/ws"), "[\"workspace.*\"]");
        endpoint(p[1], receiver.url("/exact"), "[\"channel.live\"]");
        JsonNode off = endpoint(p[1], receiver.url("/off"), "[\"*\"]");
        Api.Response patched =
                api.call("PATCH", "/v1/endpoints/" + off.get("id").asText(), p[1], "{\"enabled\":false}");
        assertThat(patched.status()).isEqualTo(200);
        String[] other = partner("Other");
        endpoint(other[1], receiver.url("/other"), "[\"*\"]");

        String eventId = publish(p[0], "workspace.quota.api_calls.exhausted", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(deliveries(p[1], eventId)).hasSize(2);
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == 2);
        assertThat(receiver.received()).extracting(Received::path).containsExactlyInAnyOrder("/all", "/ws");
    }

    @Test
    void aLeaseLeftByACrashedNodeIsClaimedAgainAfterRestart() throws Exception {
        String[] p = partner("Crash");
        endpoint(p[1], receiver.url("/after-crash"), "[\"*\"]");
        app.close();
        app = null;
        // A node that claimed the delivery and died before sending: its lease is in the database.
        try (var store = Database.open(databaseUrl(), dataDir, TestKeys.box())) {
            var partnerId = new PartnerId(p[0]);
            var ids = new IdGenerator(clock, new NoJitterRandom(99));
            var ev = new Event(new EventId(ids.next("evt_")), partnerId, "a.b", "{}", "{}", T0, null);
            var ep = store.endpoints().list(partnerId).get(0);
            store.events().append(ev, List.of(new EventStore.NewDelivery(new DeliveryId(ids.next("dlv_")), ep.id())));
            assertThat(store.queue().claimDue(T0, 10, Duration.ofSeconds(60))).hasSize(1);
        }
        app = startApp(config());
        api = new Api(app.port());
        // the lease has not expired on the (frozen) clock: nobody sends it yet
        await().during(Duration.ofMillis(800))
                .atMost(WAIT)
                .until(() -> receiver.received().isEmpty());
        moveClock(Duration.ofSeconds(61));
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
    }

    private int attemptsOf(String key, String eventId) {
        return deliveries(key, eventId).get(0).get("attempts").size();
    }
}
