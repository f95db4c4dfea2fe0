package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, ordering keys and their headers: the catalog names each type's key, each event carries
 * its key value and its sequence in it, and every delivery repeats both as headers.
 */
public abstract class OrderingKeysTest extends AppTestBase {
    private String publishAbout(String partnerId, String type, String subject, String data) {
        String body = "{\"type\":\"" + type + "\",\"partner_id\":\"" + partnerId + "\",\"subject\":" + subject
                + ",\"data\":" + validData(type, data) + "}";
        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    @Test
    void theCatalogListsEachTypesOrderingKeyAndWhetherItCollapses() {
        String[] p = partner("Catalog");
        Api.Response r = api.get("/v1/event-types", p[1]);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> byName = new HashMap<>();
        r.json().get("data").forEach(t -> byName.put(t.get("name").asText(), t));
        byName.values()
                .forEach(t -> assertThat(t.get("ordering_key").asText())
                        .as(t.get("name").asText())
                        .isNotBlank());
        assertThat(byName.get("workspace.quota.messaging.exhausted")
                        .get("ordering_key")
                        .asText())
                .isEqualTo("workspace_id");
        assertThat(byName.get("channel.live").get("ordering_key").asText()).isEqualTo("channel_id");
        assertThat(byName.get("message.read").get("ordering_key").asText()).isEqualTo("phone_number_id+wa_id");
        assertThat(byName.get("phone_number.quality.changed").get("collapsible").asBoolean())
                .isTrue();
        assertThat(byName.get("channel.live").get("collapsible").asBoolean()).isFalse();
    }

    @Test
    void eachDeliveryCarriesTheEventsKeyAndItsSequenceInIt() {
        String[] p = partner("Keys");
        endpoint(p[1], receiver.url("/k"), "[\"*\"]");
        // one channel's events count 1, 2, 3; another channel's count on their own
        String a1 = publishAbout(p[0], "channel.live", "{\"channel_id\":\"ch_a\",\"workspace_id\":\"ws_1\"}", "{}");
        String b1 = publishAbout(p[0], "channel.live", "{\"channel_id\":\"ch_b\",\"workspace_id\":\"ws_1\"}", "{}");
        String a2 =
                publishAbout(p[0], "channel.connected", "{\"channel_id\":\"ch_a\",\"workspace_id\":\"ws_1\"}", "{}");
        // a workspace type about the same subject counts in the workspace's stream
        String w1 = publishAbout(
                p[0],
                "workspace.seats.exhausted",
                "{\"channel_id\":\"ch_a\",\"workspace_id\":\"ws_1\"}",
                "{\"workspace_id\":\"ws_1\"}");
        String nf = publishAbout(p[0], "channel.live", "{\"channel_id\":\"ch_é 1\"}", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 5);

        Map<String, TestReceiver.Received> byId = new HashMap<>();
        receiver.received().forEach(x -> byId.put(x.header("webhook-id"), x));
        Map<String, List<String>> expected = Map.of(
                a1,
                List.of("channel_id:ch_a", "1"),
                b1,
                List.of("channel_id:ch_b", "1"),
                a2,
                List.of("channel_id:ch_a", "2"),
                w1,
                List.of("workspace_id:ws_1", "1"),
                nf,
                List.of("channel_id:ch_%C3%A9%201", "1"));
        expected.forEach((id, keyAndSeq) -> {
            TestReceiver.Received got = byId.get(id);
            assertThat(got.header("webhook-ordering-key")).as(id).isEqualTo(keyAndSeq.get(0));
            assertThat(got.header("webhook-sequence")).as(id).isEqualTo(keyAndSeq.get(1));
        });
        JsonNode e = api.get("/v1/events/" + a2, p[1]).json();
        assertThat(e.get("ordering_key").asText()).isEqualTo("channel_id:ch_a");
        assertThat(e.get("sequence").asLong()).isEqualTo(2);
        // the event record keeps the key as it is; only the header encodes it
        assertThat(api.get("/v1/events/" + nf, p[1]).json().get("ordering_key").asText())
                .isEqualTo("channel_id:ch_é 1");
    }

    @Test
    void aCompatibilityFormatCarriesTheHeadersToo() {
        String[] p = partner("Compat");
        Api.Response r = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/c") + "\",\"event_types\":[\"*\"],\"format\":\"360dialog\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        publishAbout(p[0], "channel.live", "{\"channel_id\":\"ch_c\"}", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).header("webhook-ordering-key")).isEqualTo("channel_id:ch_c");
        assertThat(receiver.received().get(0).header("webhook-sequence")).isEqualTo("1");
    }
}
