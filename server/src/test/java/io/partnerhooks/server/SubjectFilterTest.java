package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Subject filters (issue 16 item 5, ADR 14): an endpoint, a stream read and a replay narrowed to
 * some workspaces, channels or phone numbers; applied at fan-out, so a non-matching event gets no
 * delivery row.
 */
public abstract class SubjectFilterTest extends AppTestBase {
    private String publishAbout(String partnerId, String subject) {
        String body = "{\"type\":\"" + ANY_TYPE + "\",\"partner_id\":\"" + partnerId + "\",\"subject\":" + subject
                + ",\"data\":" + validData(ANY_TYPE, "{}") + "}";
        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private JsonNode create(String key, String filter) {
        Api.Response r = api.post(
                "/v1/endpoints",
                key,
                "{\"url\":\"" + receiver.url("/f") + "\",\"event_types\":[\"*\"]," + "\"filter\":" + filter + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private List<String> streamIds(String key, String query) {
        Api.Response r = api.get("/v1/stream?limit=100" + query, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("data").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }

    @Test
    void aFilteredEndpointGetsDeliveriesOnlyForItsSubjects() {
        String[] p = partner("Filtered");
        JsonNode ep = create(p[1], "{\"workspace_ids\":[\"ws_a\"],\"channel_ids\":[\"ch_1\"]}");
        String id = ep.get("id").asText();
        assertThat(ep.get("filter").get("workspace_ids"))
                .extracting(JsonNode::asText)
                .containsExactly("ws_a");
        assertThat(ep.get("filter").get("phone_numbers")).isEmpty();
        String wsA = publishAbout(p[0], "{\"workspace_id\":\"ws_a\"}");
        String wsB = publishAbout(p[0], "{\"workspace_id\":\"ws_b\"}");
        String ch1 = publishAbout(p[0], "{\"workspace_id\":\"ws_b\",\"channel_id\":\"ch_1\"}");
        String none = publishAbout(p[0], "{\"client_id\":\"cl_9\"}");
        assertThat(deliveries(p[1], wsA)).hasSize(1);
        assertThat(deliveries(p[1], ch1)).hasSize(1);
        assertThat(deliveries(p[1], wsB)).isEmpty();
        assertThat(deliveries(p[1], none)).isEmpty();
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);

        // PATCH replaces the filter when given, keeps it when not, and null removes it
        Api.Response kept = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"description\":\"x\"}");
        assertThat(kept.json().get("filter").get("channel_ids"))
                .extracting(JsonNode::asText)
                .containsExactly("ch_1");
        Api.Response phones =
                api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"filter\":{\"phone_numbers\":[\"+4915112345678\"]}}");
        assertThat(phones.status()).as(phones.body()).isEqualTo(200);
        assertThat(phones.json().get("filter").get("workspace_ids")).isEmpty();
        assertThat(deliveries(p[1], publishAbout(p[0], "{\"workspace_id\":\"ws_a\"}")))
                .isEmpty();
        assertThat(deliveries(p[1], publishAbout(p[0], "{\"phone_number\":\"+4915112345678\"}")))
                .hasSize(1);
        Api.Response cleared = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"filter\":null}");
        assertThat(cleared.json().get("filter").isNull()).isTrue();
        assertThat(api.get("/v1/endpoints/" + id, p[1]).json().get("filter").isNull())
                .isTrue();
        assertThat(deliveries(p[1], publishAbout(p[0], "{\"client_id\":\"cl_9\"}")))
                .hasSize(1);
    }

    @Test
    void badFiltersAreRefusedNamingTheFieldAndNothingIsWritten() {
        String[] p = partner("Bad");
        String id = create(p[1], "{\"workspace_ids\":[\"ws_a\"]}").get("id").asText();
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"ws_").append(i).append("\"");
        }
        String tooMany = "{\"filter\":{\"workspace_ids\":" + many.append("]") + "}}";
        String[][] cases = {
            {"{\"filter\":{\"workspaces\":[\"ws_a\"]}}", "filter.workspaces"},
            {tooMany, "filter.workspace_ids"},
            {"{\"filter\":{\"channel_ids\":[\"\"]}}", "filter.channel_ids[0]"},
            {"{\"filter\":{\"phone_numbers\":[12]}}", "filter.phone_numbers[0]"},
            {"{\"filter\":{\"channel_ids\":\"ch_1\"}}", "filter.channel_ids"},
            {"{\"filter\":[\"ws_a\"]}", "filter"}
        };
        for (String[] c : cases) {
            Api.Response r = api.call("PATCH", "/v1/endpoints/" + id, p[1], c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.body()).as(c[0]).contains("\"" + c[1] + "\"").doesNotContain("Exception");
        }
        assertThat(api.get("/v1/endpoints/" + id, p[1]).json().get("filter").get("workspace_ids"))
                .extracting(JsonNode::asText)
                .containsExactly("ws_a");
        Api.Response bad = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/x")
                        + "\",\"event_types\":[\"*\"],\"filter\":{\"channel_ids\":[\" \"]}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).hasSize(1);
    }

    @Test
    void theStreamTakesTheSameFilterAsQueryParameters() {
        String[] p = partner("Streamed");
        String a = publishAbout(p[0], "{\"workspace_id\":\"ws_a\"}");
        String b = publishAbout(p[0], "{\"workspace_id\":\"ws_b\"}");
        String ch = publishAbout(p[0], "{\"channel_id\":\"ch_7\"}");
        String phone = publishAbout(p[0], "{\"phone_number\":\"+15550001\"}");
        assertThat(streamIds(p[1], "")).containsExactly(a, b, ch, phone);
        assertThat(streamIds(p[1], "&workspace_ids=ws_a")).containsExactly(a);
        assertThat(streamIds(p[1], "&workspace_ids=ws_a,ws_b&phone_numbers=%2B15550001"))
                .containsExactly(a, b, phone);
        assertThat(streamIds(p[1], "&channel_ids=ch_7&event_types=" + ANY_TYPE)).containsExactly(ch);
        assertThat(streamIds(p[1], "&channel_ids=ch_none")).isEmpty();
        Api.Response bad = api.get("/v1/stream?workspace_ids=ws_a,", p[1]);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("workspace_ids[1]");
    }

    @Test
    void aReplayHonoursTheEndpointsFilter() {
        String[] p = partner("Replayed");
        publishAbout(p[0], "{\"workspace_id\":\"ws_a\"}");
        publishAbout(p[0], "{\"workspace_id\":\"ws_b\"}");
        publishAbout(p[0], "{\"workspace_id\":\"ws_a\",\"channel_id\":\"ch_2\"}");
        clock.advance(Duration.ofSeconds(1));
        String ep = create(p[1], "{\"workspace_ids\":[\"ws_a\"]}").get("id").asText();
        Api.Response r = api.post(
                "/v1/endpoints/" + ep + "/replay", p[1], "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("matched").asInt()).isEqualTo(2);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received()).allSatisfy(x -> assertThat(x.bodyText()).contains("\"ws_a\""));
    }
}
