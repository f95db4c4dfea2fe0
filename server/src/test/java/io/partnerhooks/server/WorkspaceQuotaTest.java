package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Workspaces and quota thresholds through the HTTP APIs, on a real database. */
public abstract class WorkspaceQuotaTest extends AppTestBase {
    static final String PERIOD =
            "\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"";

    private Api.Response plan(String ws, String partnerId, long messagingQuota, String period) {
        return api.call(
                "PUT",
                "/platform/v1/workspaces/" + ws,
                OPERATOR,
                "{\"partner_id\":\"" + partnerId
                        + "\",\"seats_purchased\":3,\"messaging_quota\":" + messagingQuota
                        + ",\"transactions_quota\":100,\"api_calls_quota\":50," + period + "}");
    }

    private Api.Response usage(String ws, String body) {
        return api.post("/platform/v1/workspaces/" + ws + "/usage", OPERATOR, body);
    }

    private List<String> typesReceived() {
        return receiver.received().stream()
                .map(r -> {
                    try {
                        return Api.JSON.readTree(r.body()).get("type").asText();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    @Test
    void thresholdsFireOncePerPeriodAndReArm() throws Exception {
        String[] p = partner("Quota");
        endpoint(p[1], receiver.url("/q"), "[\"workspace.*\"]");
        assertThat(plan("ws_12345", p[0], 1000, PERIOD).status()).isEqualTo(200);

        // 50 % → nothing; then a jump to 100 %: both 90 % and 100 % at once
        assertThat(usage("ws_12345", "{\"messaging_used\":500}").json().get("events"))
                .isEmpty();
        JsonNode jump = usage("ws_12345", "{\"messaging_increment\":500}").json();
        assertThat(jump.get("events").findValuesAsText("type"))
                .containsExactly("workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        Received exhausted = receiver.received().stream()
                .filter(r -> r.bodyText().contains("messaging.exhausted"))
                .findFirst()
                .orElseThrow();
        JsonNode data = Api.JSON.readTree(exhausted.body()).get("data");
        assertThat(data.get("quota_limit").asLong()).isEqualTo(1000);
        assertThat(data.get("quota_used").asLong()).isEqualTo(1000);
        assertThat(data.get("utilization_pct").asLong()).isEqualTo(100);
        assertThat(data.get("threshold").asInt()).isEqualTo(100);
        assertThat(data.get("billing_period_end").asText()).isEqualTo("2026-12-01T00:00:00.000Z");
        assertThat(Api.JSON
                        .readTree(exhausted.body())
                        .get("subject")
                        .get("workspace_id")
                        .asText())
                .isEqualTo("ws_12345");

        // more usage in the same period: nothing more
        assertThat(usage("ws_12345", "{\"messaging_increment\":100}").json().get("events"))
                .isEmpty();
        // a raised quota re-arms; crossing again fires again
        assertThat(plan("ws_12345", p[0], 5000, PERIOD).json().get("events")).isEmpty();
        assertThat(usage("ws_12345", "{\"messaging_used\":4600}")
                        .json()
                        .get("events")
                        .findValuesAsText("type"))
                .containsExactly("workspace.quota.messaging.near_limit");
        // a new billing period starts from zero and re-arms everything
        String next =
                "\"billing_period_start\":\"2026-12-01T00:00:00Z\",\"billing_period_end\":\"2027-01-01T00:00:00Z\"";
        assertThat(plan("ws_12345", p[0], 5000, next).status()).isEqualTo(200);
        JsonNode ws = api.get("/v1/workspaces/ws_12345", p[1]).json();
        assertThat(ws.get("quotas").get("messaging").get("used").asLong()).isZero();
        assertThat(ws.get("fired_this_period")).isEmpty();
        assertThat(usage("ws_12345", "{\"messaging_used\":5000}")
                        .json()
                        .get("events")
                        .findValuesAsText("type"))
                .containsExactly("workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
        await().atMost(WAIT).until(() -> receiver.received().size() == 5);
    }

    @Test
    void seatsTransactionsApiCallsAndPartnerThresholds() {
        String[] p = partner("Seats");
        endpoint(p[1], receiver.url("/s"), "[\"*\"]");
        assertThat(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":75}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":75}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/thresholds", p[1], "{\"quota\":\"nope\",\"percent\":750}")
                        .json()
                        .get("errors")
                        .findValuesAsText("field"))
                .containsExactly("quota", "percent");
        assertThat(api.get("/v1/thresholds", p[1]).json().get("data")).hasSize(1);
        plan("ws_a", p[0], 1000, PERIOD);
        JsonNode r = usage(
                        "ws_a",
                        "{\"seats_used\":3,\"transactions_used\":100,\"api_calls_used\":50,\"messaging_used\":750}")
                .json();
        assertThat(r.get("events").findValuesAsText("type"))
                .containsExactlyInAnyOrder(
                        "workspace.seats.exhausted",
                        "workspace.quota.transactions.exhausted",
                        "workspace.quota.api_calls.exhausted",
                        "workspace.quota.threshold_reached");
        // a seat frees, then fills again: seats fire again
        assertThat(usage("ws_a", "{\"seats_used\":2}").json().get("events")).isEmpty();
        assertThat(usage("ws_a", "{\"seats_used\":3}").json().get("events").findValuesAsText("type"))
                .containsExactly("workspace.seats.exhausted");
        assertThat(api.call("DELETE", "/v1/thresholds?quota=messaging&percent=75", p[1], null)
                        .status())
                .isEqualTo(204);
        assertThat(api.call("DELETE", "/v1/thresholds?quota=messaging&percent=75", p[1], null)
                        .status())
                .isEqualTo(404);
        await().atMost(WAIT).until(() -> receiver.received().size() == 5);
    }

    @Test
    void theBatchFormAndBadReports() {
        String[] p = partner("Batch");
        plan("ws_1", p[0], 10, PERIOD);
        plan("ws_2", p[0], 10, PERIOD);
        Api.Response batch = api.post(
                "/platform/v1/usage",
                OPERATOR,
                "[{\"workspace_id\":\"ws_1\",\"messaging_increment\":10},{\"workspace_id\":\"ws_2\",\"messaging_increment\":1}]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(202);
        assertThat(batch.json().get("results").get(0).get("events")).hasSize(2);
        assertThat(batch.json().get("results").get(1).get("events")).isEmpty();
        // errors name the report and the field; nothing of the batch is applied
        Api.Response bad = api.post(
                "/platform/v1/usage",
                OPERATOR,
                "[{\"workspace_id\":\"ws_2\",\"messaging_increment\":5},{\"workspace_id\":\"ws_2\",\"messaging_increment\":-1}]");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("[1].messaging_increment");
        Api.Response unknown = api.post(
                "/platform/v1/usage",
                OPERATOR,
                "[{\"workspace_id\":\"ws_2\",\"messaging_increment\":5},{\"workspace_id\":\"ws_404\",\"messaging_increment\":1}]");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.get("/v1/workspaces/ws_2", p[1])
                        .json()
                        .get("quotas")
                        .get("messaging")
                        .get("used")
                        .asLong())
                .isEqualTo(1);
        assertThat(usage("ws_2", "{\"messaging_used\":1,\"messaging_increment\":1}")
                        .status())
                .isEqualTo(400);
        assertThat(usage("ws_2", "{}").status()).isEqualTo(400);
        assertThat(plan("ws%202", p[0], 10, PERIOD).status()).isEqualTo(400);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/workspaces/ws_3",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"billing_period_start\":\"2026-12-01T00:00:00Z\",\"billing_period_end\":\"2026-11-01T00:00:00Z\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("billing_period_end");
        // another partner cannot see it
        String[] other = partner("Other");
        assertThat(api.get("/v1/workspaces/ws_1", other[1]).status()).isEqualTo(404);
        assertThat(api.get("/v1/workspaces", p[1]).json().get("data")).hasSize(2);
        assertThat(plan("ws_1", other[0], 10, PERIOD).status()).isEqualTo(400);
    }

    /** Issue 14, item 4: counters are bounded (10^12 per increment, 10^15 in all) instead of wrapping negative. */
    @Test
    void usageCountersBeyondTheBoundAreRefusedAndNothingIsHalfWritten() {
        String[] p = partner("Big");
        plan("ws_big", p[0], 1000, PERIOD);
        plan("ws_small", p[0], 1000, PERIOD);
        Api.Response wrap = usage("ws_big", "{\"messaging_increment\":9223372036854775807}");
        assertThat(wrap.status()).as(wrap.body()).isEqualTo(400);
        assertThat(wrap.contentType()).startsWith("application/problem+json");
        assertThat(wrap.json().get("errors").get(0).get("field").asText()).isEqualTo("messaging_increment");
        assertThat(usage("ws_big", "{\"api_calls_increment\":1000000000001}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("api_calls_increment");
        assertThat(usage("ws_big", "{\"transactions_used\":1000000000000001}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("transactions_used");

        // up to the bound is fine, and the threshold events fire
        Api.Response high = usage("ws_big", "{\"messaging_used\":999999999999995}");
        assertThat(high.status()).as(high.body()).isEqualTo(202);
        assertThat(high.json().get("events").findValuesAsText("type")).contains("workspace.quota.messaging.exhausted");
        // a sum past it is refused, naming the field; in a batch nothing of the batch is written
        Api.Response past = usage("ws_big", "{\"messaging_increment\":10}");
        assertThat(past.status()).as(past.body()).isEqualTo(400);
        assertThat(past.json().get("errors").get(0).get("field").asText()).isEqualTo("messaging_increment");
        Api.Response batch = api.post(
                "/platform/v1/usage",
                OPERATOR,
                "[{\"workspace_id\":\"ws_small\","
                        + "\"messaging_increment\":1},{\"workspace_id\":\"ws_big\",\"messaging_increment\":10}]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(400);
        assertThat(batch.json().get("errors").get(0).get("field").asText()).isEqualTo("[1].messaging_increment");

        JsonNode big =
                api.get("/v1/workspaces/ws_big", p[1]).json().get("quotas").get("messaging");
        assertThat(big.get("used").asLong()).isEqualTo(999_999_999_999_995L);
        assertThat(big.get("utilization_pct").asLong()).isEqualTo(99_999_999_999_999L);
        assertThat(api.get("/v1/workspaces/ws_small", p[1])
                        .json()
                        .get("quotas")
                        .get("messaging")
                        .get("used")
                        .asLong())
                .isZero();
        // plans are bounded the same way
        Api.Response plan = api.call(
                "PUT",
                "/platform/v1/workspaces/ws_big",
                OPERATOR,
                "{\"partner_id\":\"" + p[0] + "\",\"messaging_quota\":9223372036854775807," + PERIOD + "}");
        assertThat(plan.status()).isEqualTo(400);
        assertThat(plan.json().get("errors").get(0).get("field").asText()).isEqualTo("messaging_quota");
    }

    @Test
    void concurrentReportsFromTwoNodesFireEachThresholdExactlyOnce() throws Exception {
        String[] p = partner("Race");
        endpoint(p[1], receiver.url("/race"), "[\"workspace.*\"]");
        plan("ws_race", p[0], 1000, PERIOD);
        // a second node on the same database
        App second = App.start(config().withPort(0), clock, new NoJitterRandom(11));
        try {
            Api[] nodes = {api, new Api(second.port())};
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Api node = nodes[i % 2];
                results.add(pool.submit(() -> node.post(
                                "/platform/v1/workspaces/ws_race/usage", OPERATOR, "{\"messaging_increment\":10}")
                        .json()));
            }
            List<String> fired = new ArrayList<>();
            for (Future<JsonNode> f : results) {
                fired.addAll(f.get().get("events").findValuesAsText("type"));
            }
            pool.shutdown();
            assertThat(fired)
                    .containsExactlyInAnyOrder(
                            "workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
            assertThat(api.get("/v1/workspaces/ws_race", p[1])
                            .json()
                            .get("quotas")
                            .get("messaging")
                            .get("used")
                            .asLong())
                    .isEqualTo(2000);
            await().atMost(WAIT).until(() -> receiver.received().size() == 2);
            assertThat(typesReceived())
                    .containsExactlyInAnyOrder(
                            "workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
        } finally {
            second.close();
        }
    }
}
