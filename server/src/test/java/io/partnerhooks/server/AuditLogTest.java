package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.UiBrowser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Every change through the API leaves one audit row in its own transaction, with secrets masked. */
public abstract class AuditLogTest extends AppTestBase {

    private JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? null : r.json();
    }

    private List<String> actions(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(e -> out.add(e.get("action").asText()));
        return out;
    }

    /** Every text column of every audit row. */
    private List<String> rawAuditText() {
        return app.store()
                .jdbc()
                .query(
                        "SELECT id, partner_id, actor_type, actor_id, action, target_type, target_id,"
                                + " before_state, after_state FROM audit_log",
                        rs -> {
                            StringBuilder b = new StringBuilder();
                            for (int i = 1; i <= 9; i++) {
                                b.append(rs.getString(i)).append('|');
                            }
                            return b.toString();
                        });
    }

    @Test
    void everyChangeIsRecordedWithItsSecretsMasked() {
        List<String> secrets = new ArrayList<>();
        String[] p = partner("Acme");
        secrets.add(p[1]);
        JsonNode ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        String epId = ep.get("id").asText();
        secrets.add(ep.get("secret").asText());
        ok(api.call("PATCH", "/v1/endpoints/" + epId, p[1], "{\"url\":\"" + receiver.url("/b") + "\"}"));
        JsonNode rotated = ok(api.post("/v1/endpoints/" + epId + "/secret/rotate", p[1], "{\"overlap_hours\":2}"));
        secrets.add(rotated.get("secret").asText());
        ok(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":80}"));
        ok(api.call("DELETE", "/v1/thresholds?quota=messaging&percent=80", p[1], null));
        String plan = "{\"partner_id\":\"" + p[0] + "\",\"messaging_quota\":100,"
                + "\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}";
        ok(api.call("PUT", "/platform/v1/workspaces/ws_1", OPERATOR, plan));
        ok(api.call("PUT", "/platform/v1/workspaces/ws_1", OPERATOR, plan)); // the same plan again: no change
        secrets.add(ok(api.post("/v1/workspaces/ws_1/api-token/rotate", p[1], null))
                .get("token")
                .asText());
        ok(api.call(
                "PUT",
                "/platform/v1/clients/cl_1",
                OPERATOR,
                "{\"partner_id\":\"" + p[0]
                        + "\",\"name\":\"Bakery\",\"contact_info\":{\"email\":\"o@example.com\",\"api_key\":\"contact-key-481516\","
                        + "\"password\":\"hunter2-2342\"}}"));
        secrets.add("contact-key-481516");
        secrets.add("hunter2-2342");
        ok(api.call(
                "PUT",
                "/platform/v1/channels/ch_1",
                OPERATOR,
                "{\"partner_id\":\"" + p[0] + "\",\"client_id\":\"cl_1\",\"phone_number\":\"+4915112345678\"}"));
        ok(api.post("/platform/v1/channels/ch_1/transitions", OPERATOR, "{\"to\":\"submitted\"}"));
        ok(api.post("/platform/v1/workspaces/ws_1/whatsapp-accounts/wa_1/connected", OPERATOR, "{}"));
        ok(api.post("/platform/v1/workspaces/ws_1/whatsapp-accounts/wa_1/connected", OPERATOR, "{}")); // a repeat
        ok(api.call("DELETE", "/v1/endpoints/" + epId, p[1], null));

        JsonNode log = ok(api.get("/v1/audit-log?limit=100", p[1]));
        assertThat(actions(log))
                .containsExactly(
                        "endpoint.delete",
                        "whatsapp_account.connect",
                        "channel.transition",
                        "channel.upsert",
                        "client.upsert",
                        "workspace.api_token_rotate",
                        "workspace.plan_set",
                        "threshold.delete",
                        "threshold.create",
                        "endpoint.secret_rotate",
                        "endpoint.update",
                        "endpoint.create",
                        "partner.create");
        JsonNode update = log.get("data").get(10);
        assertThat(update.get("actor").get("type").asText()).isEqualTo("partner");
        assertThat(update.get("actor").get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(update.get("target").get("id").asText()).isEqualTo(epId);
        assertThat(update.get("before").get("url").asText()).endsWith("/a");
        assertThat(update.get("after").get("url").asText()).endsWith("/b");
        JsonNode created = log.get("data").get(11);
        assertThat(created.get("before").isNull()).isTrue();
        assertThat(created.get("after").get("secret").asText()).isEqualTo("****");
        JsonNode rotation = log.get("data").get(9);
        assertThat(rotation.get("after").get("previous_secret").asText()).isEqualTo("****");
        assertThat(rotation.get("after").get("previous_secret_expires_at").asText())
                .isEqualTo("2026-11-22T14:00:00.000Z");
        JsonNode planEntry = log.get("data").get(6);
        assertThat(planEntry.get("actor").get("type").asText()).isEqualTo("operator");
        assertThat(planEntry
                        .get("after")
                        .get("quotas")
                        .get("messaging")
                        .get("limit")
                        .asLong())
                .isEqualTo(100);
        JsonNode client = log.get("data").get(4);
        assertThat(client.get("after").get("contact_info").get("email").asText())
                .isEqualTo("o@example.com");
        assertThat(log.get("data").get(0).get("after").isNull()).isTrue();
        assertThat(log.get("data").get(0).get("before").get("url").asText()).endsWith("/b");

        // no secret anywhere: not in the rows, not in what either API shows
        List<String> rows = rawAuditText();
        assertThat(rows).hasSize(13);
        String everything = String.join("\n", rows)
                + log
                + api.get("/platform/v1/audit-log?limit=100", OPERATOR).body();
        for (String s : secrets) {
            assertThat(everything).as("secret " + s.substring(0, 6) + "...").doesNotContain(s);
        }

        // another partner sees only its own entries; the operator sees both
        String[] other = partner("Other");
        assertThat(actions(ok(api.get("/v1/audit-log", other[1])))).containsExactly("partner.create");
        assertThat(ok(api.get("/platform/v1/audit-log?limit=100", OPERATOR)).get("data"))
                .hasSize(14);
        assertThat(actions(ok(api.get("/platform/v1/audit-log?partner_id=" + other[0], OPERATOR))))
                .containsExactly("partner.create");
    }

    @Test
    void refusedAndRepeatedChangesLeaveNoRow() {
        String[] p = partner("Acme");
        String epId = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        int before = rawAuditText().size();
        assertThat(api.call("PATCH", "/v1/endpoints/" + epId, p[1], "{\"url\":\"ftp://nope\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.call("DELETE", "/v1/endpoints/ep_01JD000000000000000000000A", p[1], null)
                        .status())
                .isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/thresholds?quota=messaging&percent=80", p[1], null)
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/v1/endpoints/" + epId + "/recover", p[1], "{\"since\":\"2026-11-22T10:00:00Z\"}")
                        .status())
                .isEqualTo(202);
        assertThat(rawAuditText()).hasSize(before);
        // a repeat that changes nothing is not a change
        ok(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":80}"));
        ok(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":80}"));
        assertThat(rawAuditText()).hasSize(before + 1);
    }

    @Test
    void aChangeWhoseAuditRowCannotBeWrittenIsRolledBack() {
        String[] p = partner("Acme");
        app.store().jdbc().update("ALTER TABLE audit_log RENAME TO audit_log_away");
        try {
            Api.Response r =
                    api.post("/v1/endpoints", p[1], "{\"url\":\"" + receiver.url("/a") + "\",\"event_types\":[\"*\"]}");
            assertThat(r.status()).as(r.body()).isGreaterThanOrEqualTo(500);
        } finally {
            app.store().jdbc().update("ALTER TABLE audit_log_away RENAME TO audit_log");
        }
        assertThat(ok(api.get("/v1/endpoints", p[1])).get("data")).isEmpty();
        assertThat(actions(ok(api.get("/v1/audit-log", p[1])))).containsExactly("partner.create");
    }

    @Test
    void filtersAndCursorPagination() {
        String[] p = partner("Acme");
        String epId = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            ok(api.call("PATCH", "/v1/endpoints/" + epId, p[1], "{\"description\":\"v" + i + "\"}"));
        }
        clock.advance(Duration.ofHours(1));
        ok(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":50}"));

        assertThat(actions(ok(api.get("/v1/audit-log?action=endpoint.update", p[1]))))
                .hasSize(4)
                .containsOnly("endpoint.update");
        assertThat(actions(ok(api.get("/v1/audit-log?since=2026-11-22T12:30:00Z&until=2026-11-22T13:30:00Z", p[1]))))
                .containsExactly("endpoint.update", "endpoint.update", "endpoint.update", "endpoint.update");
        assertThat(actions(ok(api.get("/v1/audit-log?until=2026-11-22T12:30:00Z", p[1]))))
                .containsExactly("endpoint.create", "partner.create");

        // pages of two, newest first, every entry once
        List<String> descriptions = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(api.get(
                    "/v1/audit-log?action=endpoint.update&limit=2" + (cursor == null ? "" : "&after=" + cursor), p[1]));
            page.get("data")
                    .forEach(e ->
                            descriptions.add(e.get("after").get("description").asText()));
            cursor = page.get("next_cursor").isNull()
                    ? null
                    : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(descriptions).containsExactly("v3", "v2", "v1", "v0");
        assertThat(pages).isEqualTo(2);

        for (String[] bad : new String[][] {
            {"action=DROP TABLE", "action"},
            {"since=yesterday", "since"},
            {"after=abc", "after"},
            {"limit=0", "limit"},
            {"since=2026-11-22T13:00:00Z&until=2026-11-22T12:00:00Z", "until"}
        }) {
            Api.Response r = api.get("/v1/audit-log?" + bad[0].replace(" ", "%20"), p[1]);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).contains("\"" + bad[1] + "\"");
        }
        assertThat(api.get("/v1/audit-log", null).status()).isEqualTo(401);
        assertThat(api.get("/platform/v1/audit-log", p[1]).status()).isEqualTo(401);
    }

    @Test
    void compatibilityRoutesAndMessagingWebhooksAreRecordedWithoutHeaderValues() {
        String[] p = partner("Acme");
        ok(api.call(
                "PUT", "/platform/v1/clients/cl_1", OPERATOR, "{\"partner_id\":\"" + p[0] + "\",\"name\":\"Bakery\"}"));
        ok(
                api.call(
                        "PUT",
                        "/platform/v1/channels/ch_1",
                        OPERATOR,
                        "{\"partner_id\":\"" + p[0]
                                + "\",\"client_id\":\"cl_1\",\"phone_number\":\"+4915112345678\",\"phone_number_id\":\"1061\"}"));
        int before = rawAuditText().size();
        List<String> secrets = new ArrayList<>();

        // 99digital: first call creates the default endpoint, the second moves it
        assertThat(ok(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + receiver.url("/n1") + "\"}"))
                        .get("status")
                        .asText())
                .isEqualTo("OK");
        assertThat(ok(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + receiver.url("/n2") + "\"}"))
                        .get("status")
                        .asText())
                .isEqualTo("OK");
        // refused: no row
        assertThat(ok(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"ftp://example.com\"}"))
                        .get("status")
                        .asText())
                .isEqualTo("FAIL");
        // 360dialog
        ok(api.call(
                "POST",
                "/api/v2/partners/" + p[0] + "/webhook_url",
                p[1],
                "{\"webhook_url\":\"" + receiver.url("/d") + "\"}"));
        // a number's messaging webhook: set, moved (keeps its secret), deleted
        Api.Response set = api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/m1")
                        + "\",\"headers\":{\"Authorization\":\"Basic aGVhZGVyLXZhbHVlLTk5\",\"X-Custom\":\"custom-value-4242\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        secrets.add(set.json().get("secret").asText());
        secrets.add("Basic aGVhZGVyLXZhbHVlLTk5");
        secrets.add("custom-value-4242");
        ok(api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/m2") + "\",\"headers\":{\"X-Custom\":\"custom-value-4343\"}}"));
        secrets.add("custom-value-4343");
        assertThat(api.call("PUT", "/v1/channels/ch_1/webhook", p[1], "{\"url\":\"ftp://nope\"}")
                        .status())
                .isEqualTo(400);
        ok(api.call("DELETE", "/v1/channels/ch_1/webhook", p[1], null));
        assertThat(api.call("DELETE", "/v1/channels/ch_1/webhook", p[1], null).status())
                .isEqualTo(404);

        JsonNode log = ok(api.get("/v1/audit-log?limit=100", p[1]));
        assertThat(actions(log).subList(0, 6))
                .containsExactly(
                        "channel_webhook.delete",
                        "channel_webhook.set",
                        "channel_webhook.set",
                        "endpoint.create",
                        "endpoint.update",
                        "endpoint.create");
        assertThat(rawAuditText()).hasSize(before + 6);
        JsonNode data = log.get("data");
        JsonNode moved99 = data.get(4);
        assertThat(moved99.get("before").get("url").asText()).endsWith("/n1");
        assertThat(moved99.get("after").get("url").asText()).endsWith("/n2");
        assertThat(moved99.get("after").get("format").asText()).isEqualTo("99digital");
        assertThat(data.get(3).get("after").get("format").asText()).isEqualTo("360dialog");
        JsonNode firstSet = data.get(2);
        assertThat(firstSet.get("target").get("type").asText()).isEqualTo("channel");
        assertThat(firstSet.get("target").get("id").asText()).isEqualTo("ch_1");
        assertThat(firstSet.get("before").isNull()).isTrue();
        assertThat(firstSet.get("after").get("url").asText()).endsWith("/m1");
        assertThat(firstSet.get("after").get("headers").get("Authorization").asText())
                .isEqualTo("****");
        JsonNode moved = data.get(1);
        assertThat(moved.get("before").get("url").asText()).endsWith("/m1");
        assertThat(moved.get("after").get("url").asText()).endsWith("/m2");
        assertThat(moved.get("after").get("endpoint_id").asText())
                .isEqualTo(firstSet.get("after").get("endpoint_id").asText());
        assertThat(data.get(0).get("before").get("url").asText()).endsWith("/m2");
        assertThat(data.get(0).get("after").isNull()).isTrue();

        String everything = String.join("\n", rawAuditText()) + log;
        for (String secret : secrets) {
            assertThat(everything)
                    .as("secret " + secret.substring(0, 6) + "...")
                    .doesNotContain(secret);
        }
    }

    @Test
    void dashboardChangesGoThroughTheSameAuditedCalls() throws Exception {
        String[] p = partner("Acme");
        UiBrowser partnerUi = new UiBrowser(app.port());
        partnerUi.signIn(p[1]);
        String csrf = partnerUi.csrf(partnerUi.get("/ui/endpoints").body());
        var created = partnerUi.post(
                "/ui/endpoints",
                Map.of(
                        "csrf",
                        csrf,
                        "url",
                        receiver.url("/ui"),
                        "event_types",
                        "*",
                        "description",
                        "from the dashboard"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String epId =
                ok(api.get("/v1/endpoints", p[1])).get("data").get(0).get("id").asText();
        var rotated =
                partnerUi.post("/ui/endpoints/" + epId + "/secret/rotate", Map.of("csrf", csrf, "overlap_hours", "1"));
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newSecret = ok(api.get("/v1/endpoints/" + epId + "/secret", p[1]))
                .get("secret")
                .asText();
        // revealing is a read: no row
        assertThat(partnerUi
                        .post("/ui/endpoints/" + epId + "/secret", Map.of("csrf", csrf))
                        .statusCode())
                .isEqualTo(200);
        // a delivery whose first attempt failed, retried from the dashboard; a recover that finds no
        // failed delivery re-queues nothing and leaves no row
        receiver.always(TestReceiver.status(500));
        String eventId = publish(p[0], ANY_TYPE, "{}");
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> deliveries(p[1], eventId).get(0).get("attempts").size() == 1);
        String deliveryId = deliveries(p[1], eventId).get(0).get("id").asText();
        var retried = partnerUi.post(
                "/ui/deliveries/" + deliveryId + "/retry", Map.of("csrf", csrf, "back", "/ui/events/" + eventId));
        assertThat(retried.statusCode()).isEqualTo(303);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> deliveries(p[1], eventId).get(0).get("attempts").size() == 2);
        var recovered = partnerUi.post(
                "/ui/endpoints/" + epId + "/recover", Map.of("csrf", csrf, "since", "2026-11-22T00:00:00Z"));
        assertThat(recovered.statusCode()).isEqualTo(303);

        // the operator, viewing as the partner, rotates again: the row names the operator and belongs to the partner
        UiBrowser operatorUi = new UiBrowser(app.port());
        operatorUi.signIn(OPERATOR);
        String opCsrf = operatorUi.csrf(operatorUi.get("/ui/partners").body());
        assertThat(operatorUi
                        .post("/ui/partners/select", Map.of("csrf", opCsrf, "partner_id", p[0]))
                        .statusCode())
                .isEqualTo(303);
        assertThat(operatorUi
                        .post("/ui/endpoints/" + epId + "/secret/rotate", Map.of("csrf", opCsrf, "overlap_hours", "1"))
                        .statusCode())
                .isEqualTo(200);

        JsonNode log = ok(api.get("/v1/audit-log?limit=100", p[1]));
        assertThat(actions(log))
                .containsExactly(
                        "endpoint.secret_rotate",
                        "delivery.retry",
                        "endpoint.secret_rotate",
                        "endpoint.create",
                        "partner.create");
        JsonNode byOperator = log.get("data").get(0);
        assertThat(byOperator.get("actor").get("type").asText()).isEqualTo("operator");
        assertThat(byOperator.get("partner_id").asText()).isEqualTo(p[0]);
        JsonNode createdRow = log.get("data").get(3);
        assertThat(createdRow.get("actor").get("type").asText()).isEqualTo("partner");
        assertThat(createdRow.get("after").get("description").asText()).isEqualTo("from the dashboard");
        assertThat(log.get("data").get(1).get("target").get("id").asText()).isEqualTo(deliveryId);
        assertThat(log.get("data").get(1).get("before").get("status").asText()).isEqualTo("pending");
        assertThat(String.join("\n", rawAuditText())).doesNotContain(newSecret).doesNotContain(p[1]);
    }
}
