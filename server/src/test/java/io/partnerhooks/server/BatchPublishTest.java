package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /platform/v1/events/batch}, and the fast path of fresh deliveries (ADR 8): each
 * delivery reaches the receiver exactly once whether it was sent straight after the commit or
 * waited for a claim, on a real database and a real receiver.
 */
public abstract class BatchPublishTest extends AppTestBase {
    private static final String TYPE = "workspace.seats.exhausted";

    private String event(String partnerId, String data, String key) {
        return "{\"type\":\"" + TYPE + "\",\"partner_id\":\"" + partnerId
                + "\",\"subject\":{\"workspace_id\":\"ws_1\"}," + "\"data\":" + data
                + (key == null ? "" : ",\"idempotency_key\":\"" + key + "\"") + "}";
    }

    private String valid(String partnerId, int n, String key) {
        return event(partnerId, validData(TYPE, "{\"seats_used\":" + n + "}"), key);
    }

    private Api.Response batch(List<String> events) {
        return api.post("/platform/v1/events/batch", OPERATOR, "{\"events\":[" + String.join(",", events) + "]}");
    }

    private int eventCount(String key) {
        Api.Response r = api.get("/v1/events?limit=200", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data").size();
    }

    @Test
    void aBatchIsWrittenInOneCommitAndAnsweredInRequestOrder() {
        String[] p = partner("Batch");
        endpoint(p[1], receiver.url("/b"), "[\"workspace.*\"]");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(valid(p[0], i, null));
        }
        Api.Response r = batch(events);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(data.get(i).get("id").asText());
            assertThat(data.get(i).get("created").asBoolean()).isTrue();
            // request order: the i-th id is the event whose data says seats_used = i
            JsonNode e = api.get("/v1/events/" + ids.get(i), p[1]).json();
            assertThat(e.get("data").get("seats_used").asInt()).isEqualTo(i);
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 5);
        assertThat(receiver.received())
                .extracting(x -> x.header("webhook-id"))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void oneBadEventRefusesTheWholeBatchNamingItAndWritesNothing() {
        String[] p = partner("Bad");
        endpoint(p[1], receiver.url("/bad"), "[\"*\"]");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(valid(p[0], i, null));
        }
        events.add(event(p[0], "{\"seats_used\":3}", null));
        Api.Response r = batch(events);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).contains("events[3].data.workspace_id");
        assertThat(r.body()).doesNotContain("Exception");
        // shape errors name their event too
        Api.Response shape = batch(List.of(valid(p[0], 0, null), "{\"type\":42}", "7"));
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.json().get("errors").findValuesAsText("field")).contains("events[1].type", "events[2]");
        assertThat(batch(List.of()).status()).isEqualTo(400);
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(valid(p[0], i, null));
        }
        Api.Response big = batch(tooMany);
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("errors").findValuesAsText("field")).contains("events");
        assertThat(eventCount(p[1])).isZero();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void idempotencyKeysWorkWithinABatchAndAcrossPublishes() {
        String[] p = partner("Keys");
        endpoint(p[1], receiver.url("/k"), "[\"*\"]");
        Api.Response r = batch(List.of(valid(p[0], 1, "k-1"), valid(p[0], 2, "k-1"), valid(p[0], 3, "k-2")));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode d = r.json().get("data");
        assertThat(d.get(1).get("id").asText()).isEqualTo(d.get(0).get("id").asText());
        assertThat(d.get(1).get("created").asBoolean()).isFalse();
        assertThat(d.get(2).get("id").asText()).isNotEqualTo(d.get(0).get("id").asText());
        Api.Response single = api.post("/platform/v1/events", OPERATOR, valid(p[0], 9, "k-2"));
        assertThat(single.json().get("id").asText())
                .isEqualTo(d.get(2).get("id").asText());
        Api.Response repeat = batch(List.of(valid(p[0], 1, "k-1")));
        assertThat(repeat.json().get("data").get(0).get("id").asText())
                .isEqualTo(d.get(0).get("id").asText());
        assertThat(eventCount(p[1])).isEqualTo(2);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    }

    @Test
    void everyDeliveryArrivesExactlyOnceWhetherSentAtOnceOrClaimedLater() {
        // 300 events to one endpoint with 10 slots: the first ones go straight after their commit,
        // the rest wait in the queue for a claim; none may go twice
        String[] p = partner("Once");
        endpoint(p[1], receiver.url("/once"), "[\"*\"]");
        List<String> ids = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add(valid(p[0], b * 100 + i, null));
            }
            Api.Response r = batch(events);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            r.json().get("data").forEach(x -> ids.add(x.get("id").asText()));
        }
        await().atMost(WAIT).until(() -> receiver.received().size() >= 300);
        // the clock never moves in this test, so no lease can run out and nothing may come again
        await().during(Duration.ofMillis(800))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == 300);
        Map<String, Integer> seen = new HashMap<>();
        for (TestReceiver.Received x : receiver.received()) {
            seen.merge(x.header("webhook-id"), 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(seen.values()).allMatch(n -> n == 1);
        await().atMost(WAIT)
                .until(() -> ids.stream()
                        .allMatch(id -> deliveries(p[1], id)
                                .get(0)
                                .get("status")
                                .asText()
                                .equals("delivered")));
    }
}
