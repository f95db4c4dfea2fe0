package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import org.junit.jupiter.api.Test;

/** WhatsApp accounts, API tokens, clients and the channel lifecycle through the HTTP APIs. */
public abstract class FactsTest extends AppTestBase {

    private JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void whatsappAccountsEmitOnlyOnChange() throws Exception {
        String[] p = partner("TL");
        endpoint(p[1], receiver.url("/tl"), "[\"whatsapp_account.*\",\"api_token.rotated\"]");
        ok(
                api.call(
                        "PUT",
                        "/platform/v1/workspaces/ws_9",
                        OPERATOR,
                        "{\"partner_id\":\"" + p[0]
                                + "\",\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}"));
        String base = "/platform/v1/workspaces/ws_9/whatsapp-accounts/wa_1/";
        assertThat(ok(api.post(base + "connected", OPERATOR, "{\"phone_number\":\"+31612345678\",\"user_id\":\"u1\"}"))
                        .get("events")
                        .findValuesAsText("type"))
                .containsExactly("whatsapp_account.connected");
        assertThat(ok(api.post(base + "connected", OPERATOR, "{}")).get("events"))
                .isEmpty();
        assertThat(ok(api.post(base + "disconnected", OPERATOR, "{\"reason\":\"logged out on the phone\"}"))
                        .get("events")
                        .findValuesAsText("type"))
                .containsExactly("whatsapp_account.disconnected");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        // deliveries run in parallel: pick the event by its type, not by arrival order
        JsonNode lost = Api.JSON.readTree(receiver.received().stream()
                .filter(r -> r.bodyText().contains("whatsapp_account.disconnected"))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(lost.get("data").get("phone_number").asText()).isEqualTo("+31612345678");
        assertThat(lost.get("data").get("reason").asText()).isEqualTo("logged out on the phone");
        assertThat(lost.get("sequence").asLong()).isEqualTo(2);
        assertThat(api.post("/platform/v1/workspaces/ws_nope/whatsapp-accounts/wa_1/connected", OPERATOR, "{}")
                        .status())
                .isEqualTo(404);

        // the Public API token: shown once, the event carries no token
        JsonNode rotated = ok(api.post("/v1/workspaces/ws_9/api-token/rotate", p[1], null));
        String token = rotated.get("token").asText();
        assertThat(token).startsWith("tok_");
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(receiver.received().stream()
                        .filter(r -> r.bodyText().contains("api_token.rotated"))
                        .findFirst()
                        .orElseThrow()
                        .bodyText())
                .doesNotContain(token);
        String[] other = partner("Other");
        assertThat(api.post("/v1/workspaces/ws_9/api-token/rotate", other[1], null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void clientsAndTheChannelLifecycle() throws Exception {
        String[] p = partner("360");
        endpoint(p[1], receiver.url("/360"), "[\"client.*\",\"channel.*\"]");
        JsonNode client = ok(api.call(
                "PUT",
                "/platform/v1/clients/cl_1",
                OPERATOR,
                "{\"partner_id\":\"" + p[0]
                        + "\",\"name\":\"Bakery\",\"contact_info\":{\"email\":\"owner@example.com\"}}"));
        assertThat(client.get("events").findValuesAsText("type")).containsExactly("client.created");
        assertThat(ok(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_1",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"Bakery Ltd\"}"))
                        .get("events"))
                .isEmpty();

        String channel = "{\"partner_id\":\"" + p[0] + "\",\"client_id\":\"cl_1\",\"phone_number\":\"+4915112345678\","
                + "\"phone_name\":\"Bakery\",\"phone_number_id\":\"106540352242922\",\"waba_id\":\"102290129340398\"}";
        JsonNode created = ok(api.call("PUT", "/platform/v1/channels/ch_1", OPERATOR, channel));
        assertThat(created.get("events").findValuesAsText("type")).containsExactly("channel.created");
        assertThat(created.get("channel").get("status").asText()).isEqualTo("created");
        assertThat(ok(api.call("PUT", "/platform/v1/channels/ch_1", OPERATOR, channel))
                        .get("events"))
                .isEmpty();

        String t = "/platform/v1/channels/ch_1/transitions";
        for (String step : new String[] {"submitted", "ready", "running", "live"}) {
            assertThat(ok(api.post(t, OPERATOR, "{\"to\":\"" + step + "\"}"))
                            .get("events")
                            .findValuesAsText("type"))
                    .containsExactly("channel." + step);
        }
        // a repeat is a no-op; an impossible move is 409 naming the state and what is allowed
        assertThat(ok(api.post(t, OPERATOR, "{\"to\":\"live\"}")).get("events")).isEmpty();
        Api.Response back = api.post(t, OPERATOR, "{\"to\":\"submitted\"}");
        assertThat(back.status()).isEqualTo(409);
        assertThat(back.json().get("current_state").asText()).isEqualTo("live");
        assertThat(back.json().get("allowed").toString())
                .contains("template_messaging_enabled")
                .contains("cancellation_requested");
        Api.Response unknown = api.post(t, OPERATOR, "{\"to\":\"flying\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("to");
        assertThat(api.post("/platform/v1/channels/ch_none/transitions", OPERATOR, "{\"to\":\"ready\"}")
                        .status())
                .isEqualTo(404);

        assertThat(ok(api.post(t, OPERATOR, "{\"to\":\"permission_granted\"}"))
                        .get("events")
                        .findValuesAsText("type"))
                .containsExactly("channel.permission.granted");
        assertThat(ok(api.post(t, OPERATOR, "{\"to\":\"migrated_to_on_premise\"}"))
                        .get("channel")
                        .get("integration")
                        .get("hosting_platform_type")
                        .asText())
                .isEqualTo("on_premise");
        await().atMost(WAIT).until(() -> receiver.received().size() == 8);
        JsonNode live = Api.JSON.readTree(receiver.received().stream()
                .filter(r -> r.bodyText().contains("\"channel.live\""))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(live.get("data").get("setup_info").get("phone_number").asText())
                .isEqualTo("+4915112345678");
        assertThat(live.get("data").get("client").get("name").asText()).isEqualTo("Bakery Ltd");
        assertThat(live.get("data").get("status").asText()).isEqualTo("live");
        assertThat(live.get("subject").get("channel_id").asText()).isEqualTo("ch_1");

        assertThat(api.get("/v1/channels", p[1]).json().get("data")).hasSize(1);
        // the event log filters by the channel the events are about
        assertThat(api.get("/v1/events?channel_id=ch_1", p[1]).json().get("data"))
                .hasSize(7);
        assertThat(api.get("/v1/channels/ch_1", p[1])
                        .json()
                        .get("phone_number_id")
                        .asText())
                .isEqualTo("106540352242922");
        String[] other = partner("Other");
        assertThat(api.get("/v1/channels/ch_1", other[1]).status()).isEqualTo(404);
        // bad input names the field; another partner cannot take the channel over
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_2",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"client_id\":\"cl_1\",\"phone_number\":\"call me\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("phone_number");
        assertThat(api.call("PUT", "/platform/v1/channels/ch_1", OPERATOR, channel.replace(p[0], other[0]))
                        .status())
                .isEqualTo(400);
    }
}
