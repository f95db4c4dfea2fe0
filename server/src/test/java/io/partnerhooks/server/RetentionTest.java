package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.usecase.ApplyRetention;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Retention on a clock the test moves: old finished history goes, batch by batch; anything with a
 * pending delivery stays, however old; the audit log stays.
 */
public abstract class RetentionTest extends AppTestBase {

    @Override
    Config config() {
        // the failed attempt's retry falls due long after the retention period: its delivery stays pending
        return super.config()
                .withRetry(List.of(Duration.ofDays(60)), Duration.ofDays(90))
                .withRetentionDays(30)
                .withMeta(MetaWebhookTest.VERIFY_TOKEN, MetaWebhookTest.APP_SECRET);
    }

    private long count(String table) {
        return app.store()
                .jdbc()
                .query("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1))
                .get(0);
    }

    private JsonNode delivery(String key, String eventId, int expected, String status) {
        await().atMost(WAIT).until(() -> {
            JsonNode ds = deliveries(key, eventId);
            int n = 0;
            for (JsonNode d : ds) {
                n += d.get("attempt_count").asInt() >= 1
                                && d.get("status").asText().equals(status)
                        ? 1
                        : 0;
            }
            return n == expected;
        });
        return deliveries(key, eventId);
    }

    @Test
    void oldFinishedHistoryIsRemovedAndPendingDeliveriesAreKept() throws Exception {
        try (TestReceiver failing = new TestReceiver().always(TestReceiver.status(500))) {
            String[] p = partner("Acme");
            endpoint(p[1], receiver.url("/ok"), "[\"*\"]");
            String broken = endpoint(p[1], failing.url("/down"), "[\"account.updated\"]")
                    .get("id")
                    .asText();

            String done = publish(p[0], ANY_TYPE, "{}");
            String stuck = publish(p[0], "account.updated", "{}");
            delivery(p[1], done, 1, "delivered");
            await().atMost(WAIT).until(() -> failing.received().size() == 1);
            delivery(p[1], stuck, 1, "pending");
            delivery(p[1], stuck, 1, "delivered");

            clock.advance(Duration.ofDays(31));
            String recent = publish(p[0], ANY_TYPE, "{}");
            delivery(p[1], recent, 1, "delivered");
            long auditRows = count("audit_log");

            ApplyRetention.Totals t = app.runRetention().orElseThrow();
            assertThat(t.events()).isEqualTo(1);
            assertThat(t.deliveries()).isEqualTo(1);
            assertThat(t.attempts()).isEqualTo(1);
            assertThat(api.get("/v1/events/" + done, p[1]).status()).isEqualTo(404);
            assertThat(deliveries(p[1], stuck)).hasSize(2);
            assertThat(api.get("/v1/events/" + recent, p[1]).status()).isEqualTo(200);
            assertThat(count("audit_log")).isEqualTo(auditRows);
            assertThat(api.get("/metrics", null).body())
                    .contains("partnerhooks_retention_removed_total{kind=\"events\"} 1.0")
                    .contains("partnerhooks_retention_removed_total{kind=\"attempts\"} 1.0");

            // once nothing of it is pending any more, the old event goes too
            assertThat(api.call("DELETE", "/v1/endpoints/" + broken, p[1], null).status())
                    .isEqualTo(204);
            ApplyRetention.Totals second = app.runRetention().orElseThrow();
            assertThat(second.events()).isEqualTo(1);
            assertThat(second.deliveries()).isEqualTo(2);
            assertThat(second.attempts()).isEqualTo(2);
            assertThat(api.get("/v1/events/" + stuck, p[1]).status()).isEqualTo(404);
            assertThat(count("events")).isEqualTo(1);
            assertThat(app.runRetention().orElseThrow().batches()).isZero();
        }
    }

    @Test
    void removesInBatchesOldestFirst() {
        String[] p = partner("Acme");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(publish(p[0], ANY_TYPE, "{}"));
            clock.advance(Duration.ofMinutes(1));
        }
        // 30 days after 12:02:30: the first three events (12:00, 12:01, 12:02) are older than the period
        clock.advance(Duration.ofDays(30).minusMinutes(2).minusSeconds(30));
        String young = publish(p[0], ANY_TYPE, "{}");
        List<RetentionStore.Removed> batches = new ArrayList<>();
        List<Duration> pauses = new ArrayList<>();
        var retention = new ApplyRetention(
                app.store().retention(),
                clock,
                Duration.ofDays(30),
                2,
                Duration.ofMillis(50),
                pauses::add,
                batches::add);
        ApplyRetention.Totals t = retention.runOnce();
        assertThat(t.events()).isEqualTo(3);
        assertThat(t.batches()).isEqualTo(2);
        assertThat(batches).extracting(RetentionStore.Removed::events).containsExactly(2, 1);
        assertThat(pauses).containsExactly(Duration.ofMillis(50));
        assertThat(api.get("/v1/events/" + ids.get(0), p[1]).status()).isEqualTo(404);
        assertThat(api.get("/v1/events/" + ids.get(2), p[1]).status()).isEqualTo(404);
        assertThat(api.get("/v1/events/" + ids.get(3), p[1]).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(10));
        t = retention.runOnce();
        assertThat(t.events()).isEqualTo(2);
        assertThat(batches).extracting(RetentionStore.Removed::events).containsExactly(2, 1, 2);
        assertThat(api.get("/v1/events/" + young, p[1]).status()).isEqualTo(200);
        assertThat(count("events")).isEqualTo(1);
    }

    @Test
    void zeroDaysTurnsRetentionOffAndBadValuesAreRefused() throws Exception {
        app.close();
        app = startApp(config().withRetentionDays(0));
        assertThat(app.runRetention()).isEmpty();
        for (int bad : new int[] {-1, Config.MAX_RETENTION_DAYS + 1}) {
            Assertions.assertThatThrownBy(() -> config().withRetentionDays(bad))
                    .isInstanceOf(Config.InvalidConfigException.class)
                    .hasMessageContaining("RETENTION_DAYS");
        }
    }

    /** Posts a signed Meta callback; returns Partnerhooks' answer. */
    private JsonNode meta(byte[] body) throws Exception {
        var http = HttpClient.newHttpClient();
        var r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/meta/webhook"))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", MetaWebhookTest.hubSignature(MetaWebhookTest.APP_SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.JSON.readTree(r.body());
    }

    private void numberWithWebhook(String[] p) {
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_1",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"Bakery\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_1",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"client_id\":\"cl_1\",\"phone_number\":\"+4915123456789\",\"phone_number_id\":\""
                                        + MetaWebhookTest.PNID + "\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call("PUT", "/v1/channels/ch_1/webhook", p[1], "{\"url\":\"" + receiver.url("/wa") + "\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void oldMetaCallbacksRoutedOrNotAndTheirRelayKeysGoInBatches() throws Exception {
        meta(MetaWebhookTest.golden("image")); // nobody has the number yet: unroutable
        String[] p = partner("Acme");
        numberWithWebhook(p);
        assertThat(meta(MetaWebhookTest.golden("text")).get("relayed").asInt()).isEqualTo(1);
        assertThat(meta(MetaWebhookTest.golden("reaction")).get("relayed").asInt())
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        clock.advance(Duration.ofDays(31));
        assertThat(meta(MetaWebhookTest.golden("status_sent")).get("relayed").asInt())
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(count("meta_callbacks")).isEqualTo(4);
        assertThat(count("meta_relayed")).isEqualTo(3);

        List<RetentionStore.Removed> batches = new ArrayList<>();
        var retention = new ApplyRetention(
                app.store().retention(), clock, Duration.ofDays(30), 2, Duration.ofMillis(50), d -> {}, batches::add);
        ApplyRetention.Totals t = retention.runOnce();
        assertThat(t.metaCallbacks()).isEqualTo(3);
        assertThat(t.metaRelayed()).isEqualTo(2);
        assertThat(batches).extracting(RetentionStore.Removed::metaCallbacks).containsSubsequence(2, 1);
        assertThat(count("meta_callbacks")).isEqualTo(1);
        assertThat(count("meta_relayed")).isEqualTo(1);
        assertThat(api.get("/platform/v1/meta/unroutable", OPERATOR).json().get("data"))
                .isEmpty();
        assertThat(retention.runOnce().batches()).isZero();
    }

    @Test
    void relayKeysOutliveAShortRetentionUntilMetaStopsRedelivering() throws Exception {
        String[] p = partner("Acme");
        numberWithWebhook(p);
        byte[] text = MetaWebhookTest.golden("text");
        assertThat(meta(text).get("relayed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        var retention = new ApplyRetention(
                app.store().retention(), clock, Duration.ofDays(3), 500, Duration.ZERO, d -> {}, r -> {});

        // four days on, past a three-day retention: the callback goes, its dedupe key stays ...
        clock.advance(Duration.ofDays(4));
        ApplyRetention.Totals t = retention.runOnce();
        assertThat(t.metaCallbacks()).isEqualTo(1);
        assertThat(t.metaRelayed()).isZero();
        // ... so Meta redelivering it on day four still reaches the receiver only once
        JsonNode again = meta(text);
        assertThat(again.get("relayed").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(1);

        // past seven days the key goes too
        clock.advance(Duration.ofDays(4));
        t = retention.runOnce();
        assertThat(t.metaRelayed()).isEqualTo(1);
        assertThat(count("meta_relayed")).isZero();
        assertThat(receiver.received()).hasSize(1);
    }
}
