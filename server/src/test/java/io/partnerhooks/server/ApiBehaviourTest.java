package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Authentication, tenancy, validation and idempotency, as a client of the HTTP API sees them. */
public abstract class ApiBehaviourTest extends AppTestBase {

    private static void assertProblem(Api.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode j = r.json();
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(j.get("title").asText()).isNotBlank();
        assertThat(j.get("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(j.get("errors").findValuesAsText("field")).as(r.body()).contains(field);
        }
    }

    @Test
    void aWrongOrMissingTokenIs401() {
        assertProblem(api.post("/platform/v1/partners", null, "{\"name\":\"x\"}"), 401, "Authorization");
        assertProblem(api.post("/platform/v1/partners", "wrong", "{\"name\":\"x\"}"), 401, "Authorization");
        assertProblem(api.get("/v1/endpoints", null), 401, "Authorization");
        assertProblem(api.get("/v1/endpoints", "phk_nope"), 401, "Authorization");
        // a partner key is not an operator token, and the other way round
        String[] p = partner("Acme");
        assertProblem(api.post("/platform/v1/partners", p[1], "{\"name\":\"x\"}"), 401, null);
        assertProblem(api.get("/v1/endpoints", OPERATOR), 401, null);
    }

    @Test
    void theApiKeyIsShownOnceAndWorks() {
        String[] p = partner("Acme");
        assertThat(p[0]).startsWith("ptn_");
        assertThat(p[1]).startsWith("phk_");
        Api.Response r = api.get("/v1/endpoints", p[1]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data")).isEmpty();
    }

    @Test
    void badInputNamesTheField() {
        String[] p = partner("Acme");
        String k = p[1];
        assertProblem(api.post("/v1/endpoints", k, "{not json"), 400, "body");
        assertProblem(api.post("/v1/endpoints", k, "[1,2]"), 400, "body");
        assertProblem(api.post("/v1/endpoints", k, ""), 400, "body");
        assertProblem(api.post("/v1/endpoints", k, "{\"event_types\":[\"*\"]}"), 400, "url");
        assertProblem(api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\"}"), 400, "event_types");
        assertProblem(api.post("/v1/endpoints", k, "{\"url\":42,\"event_types\":[\"*\"]}"), 400, "url");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"ftp://example.com\",\"event_types\":[\"*\"]}"), 400, "url");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"https://user:pw@example.com/\",\"event_types\":[\"*\"]}"),
                400,
                "url");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"https://example.com/" + "a".repeat(520) + "\",\"event_types\":[\"*\"]}"),
                400,
                "url");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\",\"event_types\":[\"Bad Type\"]}"),
                400,
                "event_types[0]");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\",\"event_types\":[]}"),
                400,
                "event_types");
        // well-formed but subscribing to nothing the catalog has: a typo that would never deliver
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\",\"event_types\":[\"workspace.nope\"]}"),
                400,
                "event_types[0]");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"https://example.com\",\"event_types\":[\"channel.*\"," + "\"nobody.*\"]}"),
                400,
                "event_types[1]");
        // a prefix without .* is not a type; the answer says how to subscribe to what is under it
        Api.Response prefixOnly =
                api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\",\"event_types\":[\"workspace.quota\"]}");
        assertProblem(prefixOnly, 400, "event_types[0]");
        assertThat(prefixOnly.body()).contains("workspace.quota.*");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"https://example.com\",\"event_types\":[\"*\"],\"enabled\":\"yes\"}"),
                400,
                "enabled");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"https://example.com\",\"event_types\":[\"*\"],\"evnt\":1}"),
                400,
                "evnt");
        assertProblem(api.post("/platform/v1/partners", OPERATOR, "{}"), 400, "name");
        assertProblem(api.post("/platform/v1/events", OPERATOR, "{\"partner_id\":\"" + p[0] + "\"}"), 400, "type");
        assertProblem(
                api.post("/platform/v1/events", OPERATOR, "{\"type\":\"Not A Type\",\"partner_id\":\"" + p[0] + "\"}"),
                400,
                "type");
        assertProblem(
                api.post("/platform/v1/events", OPERATOR, "{\"type\":\"a.b\",\"partner_id\":\"ptn_unknown\"}"),
                400,
                "partner_id");
        assertProblem(
                api.post(
                        "/platform/v1/events",
                        OPERATOR,
                        "{\"type\":\"a.b\",\"partner_id\":\"" + p[0] + "\",\"data\":[1]}"),
                400,
                "data");
        // the catalog: unknown types and data that does not match the type's schema are refused
        assertProblem(
                api.post(
                        "/platform/v1/events",
                        OPERATOR,
                        "{\"type\":\"nobody.heard_of.this\",\"partner_id\":\"" + p[0] + "\",\"data\":{}}"),
                400,
                "type");
        assertProblem(
                api.post(
                        "/platform/v1/events",
                        OPERATOR,
                        "{\"type\":\"workspace.seats.exhausted\",\"partner_id\":\"" + p[0]
                                + "\",\"data\":{\"workspace_id\":\"ws_1\",\"seats_purchased\":\"five\"}}"),
                400,
                "data.seats_purchased");
        assertProblem(api.get("/v1/events?limit=0", k), 400, "limit");
        assertProblem(api.get("/v1/events?limit=abc", k), 400, "limit");
        assertProblem(api.get("/v1/events?after=zzz", k), 400, "after");
        // nothing was half-written by any of that
        assertThat(api.get("/v1/endpoints", k).json().get("data")).isEmpty();
        assertThat(api.get("/v1/events", k).json().get("data")).isEmpty();
    }

    @Test
    void subscriptionsNameCatalogTypesPrefixesOfThemOrEverything() {
        String k = partner("Acme")[1];
        String ep = endpoint(
                        k,
                        "https://example.com/hook",
                        "[\"workspace.seats.exhausted\",\"channel.*\"," + "\"workspace.quota.*\",\"*\"]")
                .get("id")
                .asText();
        assertProblem(
                api.call("PATCH", "/v1/endpoints/" + ep, k, "{\"event_types\":[\"*\",\"channel.teleported\"]}"),
                400,
                "event_types[1]");
        // the refused change left the subscription as it was
        assertThat(api.get("/v1/endpoints/" + ep, k).json().get("event_types").size())
                .isEqualTo(4);
    }

    @Test
    void forbiddenLiteralAddressesAreRefusedAtRegistration() {
        String k = partner("Acme")[1];
        // this app allows 127.0.0.0/8 (for the test receiver); private and metadata ranges stay closed
        for (String url : List.of(
                "http://10.0.0.1/x",
                "http://169.254.169.254/latest/meta-data",
                "http://[::ffff:192.168.1.1]/",
                "http://0xa9fea9fe/",
                "http://100.64.0.1/")) {
            assertProblem(
                    api.post("/v1/endpoints", k, "{\"url\":\"" + url + "\",\"event_types\":[\"*\"]}"), 400, "url");
        }
    }

    @Test
    void anotherPartnersIdsAre404() {
        String[] a = partner("A");
        String[] b = partner("B");
        JsonNode ep = endpoint(a[1], receiver.url("/a"), "[\"*\"]");
        String id = ep.get("id").asText();
        String eventId = publish(a[0], ANY_TYPE, "{}");
        assertProblem(api.get("/v1/endpoints/" + id, b[1]), 404, "id");
        assertProblem(api.call("PATCH", "/v1/endpoints/" + id, b[1], "{\"enabled\":false}"), 404, "id");
        assertProblem(api.call("DELETE", "/v1/endpoints/" + id, b[1], null), 404, "id");
        assertProblem(api.get("/v1/endpoints/" + id + "/secret", b[1]), 404, "id");
        assertProblem(api.get("/v1/events/" + eventId, b[1]), 404, "id");
        assertProblem(api.get("/v1/events/" + eventId + "/deliveries", b[1]), 404, "id");
        assertProblem(api.get("/v1/endpoints/ep_doesnotexist", a[1]), 404, "id");
        assertProblem(api.get("/v1/endpoints/garbage", a[1]), 404, "id");
        assertThat(api.get("/v1/endpoints/" + id, a[1]).status()).isEqualTo(200);
    }

    @Test
    void everyPartnerRouteAnswers404ForAnotherPartnersIdsAndChangesNothing() {
        String[] a = partner("A");
        String[] b = partner("B");
        receiver.always(TestReceiver.status(500));
        JsonNode ep = endpoint(a[1], receiver.url("/a"), "[\"" + ANY_TYPE + "\"]");
        String id = ep.get("id").asText();
        String eventId = publish(a[0], ANY_TYPE, "{}");
        await().until(() -> deliveries(a[1], eventId).get(0).get("attempts").size() == 1);
        String deliveryId = deliveries(a[1], eventId).get(0).get("id").asText();
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/workspaces/ws_a",
                                OPERATOR,
                                "{\"partner_id\":\"" + a[0]
                                        + "\",\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/thresholds", a[1], "{\"quota\":\"messaging\",\"percent\":80}")
                        .status())
                .isEqualTo(201);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_a",
                                OPERATOR,
                                "{\"partner_id\":\"" + a[0] + "\",\"name\":\"A's client\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_a",
                                OPERATOR,
                                "{\"partner_id\":\"" + a[0]
                                        + "\",\"client_id\":\"cl_a\",\"phone_number\":\"+31600000001\"}")
                        .status())
                .isEqualTo(200);
        Api.Response replay = api.post(
                "/v1/endpoints/" + id + "/replay", a[1], "{\"since\":\"2026-11-22T00:00:00Z\",\"which\":\"all\"}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        String replayId = replay.json().get("id").asText();
        String streamCursor =
                api.get("/v1/stream", a[1]).json().get("next_cursor").asText();
        assertThat(api.post("/v1/stream/consumers/walk/commit", a[1], "{\"cursor\":\"" + streamCursor + "\"}")
                        .status())
                .isEqualTo(200);
        String before = api.get("/v1/endpoints/" + id, a[1]).body();
        String secretBefore = api.get("/v1/endpoints/" + id + "/secret", a[1]).body();

        List<String[]> calls = List.of(
                new String[] {"GET", "/v1/endpoints/" + id, null},
                new String[] {"PATCH", "/v1/endpoints/" + id, "{\"enabled\":false}"},
                new String[] {"DELETE", "/v1/endpoints/" + id, null},
                new String[] {"GET", "/v1/endpoints/" + id + "/secret", null},
                new String[] {"POST", "/v1/endpoints/" + id + "/secret/rotate", "{}"},
                new String[] {"POST", "/v1/endpoints/" + id + "/recover", "{\"since\":\"2026-11-22T00:00:00Z\"}"},
                new String[] {"POST", "/v1/endpoints/" + id + "/test", "{}"},
                new String[] {
                    "POST", "/v1/endpoints/" + id + "/replay", "{\"since\":\"2026-11-22T00:00:00Z\",\"which\":\"all\"}"
                },
                new String[] {"GET", "/v1/replays/" + replayId, null},
                new String[] {"GET", "/v1/events/" + eventId, null},
                new String[] {"GET", "/v1/events/" + eventId + "/deliveries", null},
                new String[] {"POST", "/v1/deliveries/" + deliveryId + "/retry", null},
                new String[] {"POST", "/v1/deliveries/" + deliveryId + "/resend", null},
                new String[] {"GET", "/v1/workspaces/ws_a", null},
                new String[] {"DELETE", "/v1/thresholds?quota=messaging&percent=80", null},
                new String[] {"POST", "/v1/workspaces/ws_a/api-token/rotate", null},
                new String[] {"GET", "/v1/channels/ch_a", null},
                new String[] {"PUT", "/v1/channels/ch_a/webhook", "{\"url\":\"https://example.com/hook\"}"},
                new String[] {"GET", "/v1/channels/ch_a/webhook", null},
                new String[] {"DELETE", "/v1/channels/ch_a/webhook", null},
                new String[] {"GET", "/v1/deliveries/" + deliveryId, null},
                new String[] {"GET", "/v1/endpoints/" + id + "/deliveries", null},
                new String[] {"GET", "/v1/endpoints/" + id + "/stats", null},
                new String[] {"GET", "/v1/stream/consumers/walk", null});
        for (String[] c : calls) {
            Api.Response r = api.call(c[0], c[1], b[1], c[2]);
            assertThat(r.status()).as(c[0] + " " + c[1] + " -> " + r.body()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.get("/v1/endpoints/" + id, a[1]).body()).isEqualTo(before);
        assertThat(api.get("/v1/endpoints/" + id + "/secret", a[1]).body()).isEqualTo(secretBefore);
        assertThat(api.get("/v1/endpoints", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/events", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/replays", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/replays", a[1]).json().get("data")).hasSize(1);
        // the stream is the partner's own; committing a consumer name A uses makes B's own consumer
        assertThat(api.get("/v1/stream", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/workspaces", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/thresholds", b[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/thresholds", a[1]).json().get("data")).hasSize(1);
        // the event catalog is no partner's data: one type reads the same for everyone, an unknown one is 404
        Api.Response typeForA = api.get("/v1/event-types/" + ANY_TYPE, a[1]);
        assertThat(typeForA.status()).isEqualTo(200);
        assertThat(api.get("/v1/event-types/" + ANY_TYPE, b[1]).body()).isEqualTo(typeForA.body());
        assertProblem(api.get("/v1/event-types/nobody.heard_of.this", b[1]), 404, "name");
        // every partner route of the API is in that walk, or is a list / create / catalog route or the key roll,
        // checked here
        List<String> partnerRoutes =
                app.routes().stream().filter(r -> r.contains(" /v1/")).toList();
        assertThat(api.get("/v1/channels", b[1]).json().get("data")).isEmpty();
        // B's refused attempts changed nothing, so its audit log holds only its own creation
        assertThat(api.get("/v1/audit-log", b[1]).json().get("data").findValuesAsText("action"))
                .containsExactly("partner.create");
        // POST /v1/api-keys/roll names no resource: B's roll makes a key for B and leaves A's keys alone
        String aKeys =
                api.get("/platform/v1/partners/" + a[0] + "/api-keys", OPERATOR).body();
        Api.Response rolled = api.post("/v1/api-keys/roll", b[1], "{}");
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        assertThat(api.get("/platform/v1/partners/" + a[0] + "/api-keys", OPERATOR)
                        .body())
                .isEqualTo(aKeys);
        assertThat(api.get("/platform/v1/partners/" + b[0] + "/api-keys", OPERATOR)
                        .json()
                        .get("data"))
                .hasSize(2);
        assertThat(api.get("/v1/endpoints", a[1]).status()).isEqualTo(200);
        assertThat(api.get("/v1/endpoints", rolled.json().get("api_key").asText())
                        .json()
                        .get("data"))
                .isEmpty();
        assertThat(api.post("/v1/stream/consumers/walk/commit", b[1], "{\"cursor\":\"0.\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/v1/stream/consumers/walk", a[1])
                        .json()
                        .get("cursor")
                        .asText())
                .isEqualTo(streamCursor);
        assertThat(partnerRoutes).hasSize(calls.size() + 14);
    }

    @Test
    void wrongContentTypeIs415AndDeepNestingIs400() {
        String k = partner("Acme")[1];
        Api.Response r = api.callWithType(
                "POST", "/v1/endpoints", k, "url=https://example.com", "application/x-www-form-urlencoded");
        assertProblem(r, 415, "Content-Type");
        String deep = "{\"url\":\"https://example.com\",\"event_types\":[\"*\"],\"description\":" + "[".repeat(2000)
                + "]".repeat(2000) + "}";
        assertProblem(api.post("/v1/endpoints", k, deep), 400, "body");
        assertThat(api.get("/v1/endpoints", k).json().get("data")).isEmpty();
    }

    @Test
    void endpointsCanBeReadChangedAndDeleted() {
        String k = partner("Acme")[1];
        JsonNode ep = endpoint(k, receiver.url("/a"), "[\"workspace.*\",\"channel.live\"]");
        String id = ep.get("id").asText();
        assertThat(ep.get("enabled").asBoolean()).isTrue();
        JsonNode got = api.get("/v1/endpoints/" + id, k).json();
        assertThat(got.has("secret")).isFalse();
        assertThat(got.get("event_types").toString()).isEqualTo("[\"workspace.*\",\"channel.live\"]");
        assertThat(api.get("/v1/endpoints/" + id + "/secret", k)
                        .json()
                        .get("secret")
                        .asText())
                .isEqualTo(ep.get("secret").asText());
        Api.Response patched =
                api.call("PATCH", "/v1/endpoints/" + id, k, "{\"description\":\"billing\",\"event_types\":[\"*\"]}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("description").asText()).isEqualTo("billing");
        assertThat(patched.json().get("url").asText()).isEqualTo(receiver.url("/a"));
        assertThat(api.get("/v1/endpoints", k).json().get("data")).hasSize(1);
        assertThat(api.call("DELETE", "/v1/endpoints/" + id, k, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/endpoints/" + id, k).status()).isEqualTo(404);
        assertThat(api.get("/v1/endpoints", k).json().get("data")).isEmpty();
    }

    @Test
    void customHeadersGoOutOnEveryDeliveryAndAreShownMasked() {
        String[] p = partner("Acme");
        Api.Response created = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/h")
                        + "\",\"event_types\":[\"*\"],\"headers\":{\"D360-API-KEY\":\"key-123\",\"X-Team\":\"billing\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("format").asText()).isEqualTo("standard");
        assertThat(created.json().get("headers").get("D360-API-KEY").asText()).isEqualTo("key-123");
        String id = created.json().get("id").asText();
        JsonNode read = api.get("/v1/endpoints/" + id, p[1]).json();
        assertThat(read.get("headers").get("D360-API-KEY").asText()).isEqualTo("********");
        assertThat(read.toString()).doesNotContain("key-123");

        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        var got = receiver.received().get(0);
        assertThat(got.header("D360-API-KEY")).isEqualTo("key-123");
        assertThat(got.header("X-Team")).isEqualTo("billing");
        assertThat(got.header("webhook-signature")).startsWith("v1,");

        // PATCH replaces the whole set; {} removes them.
        Api.Response cleared = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"headers\":{}}");
        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        assertThat(cleared.json().get("headers").size()).isZero();
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received().get(1).header("D360-API-KEY")).isNull();
    }

    @Test
    void badFormatsAndHeadersAreRefusedNamingTheField() {
        String k = partner("Acme")[1];
        String url = receiver.url("/x");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"format\":\"soap\"}"),
                400,
                "format");
        assertProblem(
                api.post("/v1/endpoints", k, "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"headers\":[]}"),
                400,
                "headers");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"headers\":{\"Webhook-Signature\":\"x\"}}"),
                400,
                "headers.Webhook-Signature");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}"),
                400,
                "headers.X-A");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"headers\":{\"X-A\":1}}"),
                400,
                "headers.X-A");
        assertProblem(
                api.post(
                        "/v1/endpoints",
                        k,
                        "{\"url\":\"" + url + "\",\"event_types\":[\"*\"],\"headers\":{\"bad name\":\"v\"}}"),
                400,
                "headers");
        assertThat(api.get("/v1/endpoints", k).json().get("data")).isEmpty();
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstEvent() {
        String[] p = partner("Acme");
        endpoint(p[1], receiver.url("/once"), "[\"*\"]");
        String body = "{\"type\":\"api_token.rotated\",\"partner_id\":\"" + p[0]
                + "\",\"data\":{\"workspace_id\":\"ws_1\",\"rotated_at\":\"2026-11-22T12:00:00Z\"},"
                + "\"idempotency_key\":\"rotation-42\"}";
        Api.Response first = api.post("/platform/v1/events", OPERATOR, body);
        Api.Response second = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("id").asText())
                .isEqualTo(first.json().get("id").asText());
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(second.json().get("created").asBoolean()).isFalse();
        await().until(() -> receiver.received().size() == 1);
        assertThat(api.get("/v1/events", p[1]).json().get("data")).hasSize(1);
    }

    @Test
    void theEventLogPagesNewestFirst() {
        String[] p = partner("Acme");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(publish(p[0], ANY_TYPE, "{\"n\":" + i + "}"));
            clock.advance(Duration.ofMillis(5));
        }
        JsonNode page1 = api.get("/v1/events?limit=2", p[1]).json();
        JsonNode page2 = api.get(
                        "/v1/events?limit=2&after=" + page1.get("next_cursor").asText(), p[1])
                .json();
        JsonNode page3 = api.get(
                        "/v1/events?limit=2&after=" + page2.get("next_cursor").asText(), p[1])
                .json();
        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(page1, page2, page3)) {
            page.get("data").forEach(e -> seen.add(e.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
        assertThat(page3.get("next_cursor").isNull()).isTrue();
        JsonNode one = api.get("/v1/events/" + ids.get(2), p[1]).json();
        assertThat(one.get("data").get("n").asInt()).isEqualTo(2);
    }

    @Test
    void theEventLogFiltersByTypeTimeAndFailureAndDeliveriesAreReadable() {
        String[] p = partner("Filters");
        receiver.then(TestReceiver.status(410));
        JsonNode ep = endpoint(p[1], receiver.url("/f"), "[\"channel.*\"]");
        String w1 = publish(p[0], "workspace.seats.exhausted", "{}");
        clock.advance(Duration.ofMinutes(1));
        String c1 = publish(p[0], "channel.live", "{}");
        // a millisecond apart: within one millisecond id order is random, and c1's attempt draws
        // from the same random source at the same time, so the tie would go either way
        clock.advance(Duration.ofMillis(1));
        String c2 = publish(p[0], "client.created", "{}");
        await().until(() -> deliveries(p[1], c1).get(0).get("status").asText().equals("failed"));
        Function<String, List<String>> ids = q -> {
            List<String> out = new ArrayList<>();
            api.get("/v1/events" + q, p[1])
                    .json()
                    .get("data")
                    .forEach(e -> out.add(e.get("id").asText()));
            return out;
        };
        assertThat(ids.apply("?type=channel.*")).containsExactly(c1);
        assertThat(ids.apply("?type=workspace.seats.exhausted")).containsExactly(w1);
        assertThat(ids.apply("?since=2026-11-22T12:00:30Z")).containsExactly(c2, c1);
        assertThat(ids.apply("?until=2026-11-22T12:00:30Z")).containsExactly(w1);
        assertThat(ids.apply("?status=failed")).containsExactly(c1);
        assertThat(ids.apply("?workspace_id=ws_12345")).containsExactly(c2, c1, w1);
        assertThat(ids.apply("?workspace_id=ws_other")).isEmpty();
        assertThat(ids.apply("?workspace_id=ws_12345&type=channel.*")).containsExactly(c1);
        assertProblem(api.get("/v1/events?type=Bad", p[1]), 400, "type");
        assertProblem(api.get("/v1/events?since=yesterday", p[1]), 400, "since");
        assertProblem(api.get("/v1/events?status=weird", p[1]), 400, "status");

        String deliveryId = deliveries(p[1], c1).get(0).get("id").asText();
        JsonNode one = api.get("/v1/deliveries/" + deliveryId, p[1]).json();
        assertThat(one.get("attempts").get(0).get("http_status").asInt()).isEqualTo(410);
        String epId = ep.get("id").asText();
        assertThat(api.get("/v1/endpoints/" + epId + "/deliveries?status=failed", p[1])
                        .json()
                        .get("data"))
                .hasSize(1);
        assertThat(api.get("/v1/endpoints/" + epId + "/deliveries?status=delivered", p[1])
                        .json()
                        .get("data"))
                .isEmpty();
        assertProblem(api.get("/v1/endpoints/" + epId + "/deliveries?status=lost", p[1]), 400, "status");
        assertProblem(api.get("/v1/deliveries/dlv_nope", p[1]), 404, "id");

        JsonNode stats =
                api.get("/v1/endpoints/" + epId + "/stats?window=1h", p[1]).json();
        assertThat(stats.get("attempts").asInt()).isEqualTo(1);
        assertThat(stats.get("success_rate").asDouble()).isZero();
        assertThat(stats.get("failures_by_class").get("http_410").asInt()).isEqualTo(1);
        assertThat(stats.get("latency_p95_ms").isNumber()).isTrue();
        assertProblem(api.get("/v1/endpoints/" + epId + "/stats?window=2y", p[1]), 400, "window");
    }

    @Test
    void theEventCatalogIsServedWithSchemasAndExamples() {
        String k = partner("Catalog")[1];
        JsonNode all = api.get("/v1/event-types", k).json().get("data");
        assertThat(all.size()).isGreaterThanOrEqualTo(55);
        JsonNode quota =
                api.get("/v1/event-types?prefix=workspace.quota", k).json().get("data");
        assertThat(quota.findValuesAsText("name"))
                .contains("workspace.quota.messaging.near_limit")
                .allMatch(n -> n.startsWith("workspace.quota."));
        JsonNode one = quota.get(0);
        assertThat(one.get("schema").get("$schema").asText()).contains("2020-12");
        assertThat(one.get("example").isObject()).isTrue();
        assertThat(one.get("description").asText()).isNotBlank();
        assertProblem(api.get("/v1/event-types?prefix=Bad%20Prefix", k), 400, "prefix");
        JsonNode single =
                api.get("/v1/event-types/" + one.get("name").asText(), k).json();
        assertThat(single).isEqualTo(one);
        assertProblem(api.get("/v1/event-types/workspace.quota", k), 404, "name");
    }

    @Test
    void healthAndUnknownRoutes() {
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
        assertThat(api.get("/readyz", null).status()).isEqualTo(200);
        assertProblem(api.get("/nope", null), 404, null);
        assertProblem(api.call("PUT", "/healthz", null, "{}"), 405, null);
    }

    @Test
    void anOversizedBodyIs413() {
        String k = partner("Acme")[1];
        String big = "{\"url\":\"https://example.com\",\"event_types\":[\"*\"],\"description\":\""
                + "x".repeat(1_100_000) + "\"}";
        Api.Response r = api.post("/v1/endpoints", k, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
