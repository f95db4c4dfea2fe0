package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver.Received;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider-compatible formats and settings routes, through the real server: a partner's
 * unchanged 99digital / 360dialog / TimelinesAI client sets its webhook and parses what arrives,
 * and the Standard Webhooks signature still verifies over every compatible body.
 */
public abstract class CompatibilityTest extends AppTestBase {

    // ---- 99digital settings routes ----

    @Test
    void ninetyNineDigitalSetsAndReadsTheDefaultEndpoint() {
        String[] p = partner("Digital");
        JsonNode none = api.get("/api/settings/getWebhook", p[1]).json();
        assertThat(none.toString()).isEqualTo("{\"status\":\"OK\",\"url\":\"\",\"reason\":1}");

        String url = receiver.url("/99");
        Api.Response set = api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + url + "\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.contentType()).startsWith("application/json");
        assertThat(set.json().toString()).isEqualTo("{\"status\":\"OK\",\"url\":\"" + url + "\",\"reason\":1}");
        assertThat(api.get("/api/settings/getWebhook", p[1]).json().get("url").asText())
                .isEqualTo(url);

        JsonNode eps = api.get("/v1/endpoints", p[1]).json().get("data");
        assertThat(eps).hasSize(1);
        assertThat(eps.get(0).get("format").asText()).isEqualTo("99digital");
        assertThat(eps.get(0).get("event_types").toString()).isEqualTo("[\"*\"]");

        // Setting it again moves the same endpoint; it does not add one.
        String other = receiver.url("/99-new");
        assertThat(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + other + "\"}")
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("OK");
        eps = api.get("/v1/endpoints", p[1]).json().get("data");
        assertThat(eps).hasSize(1);
        assertThat(eps.get(0).get("url").asText()).isEqualTo(other);

        // Another partner sees only its own.
        String[] q = partner("Other");
        assertThat(api.get("/api/settings/getWebhook", q[1]).json().get("url").asText())
                .isEmpty();
    }

    @Test
    void ninetyNineDigitalFailuresAnswerInItsShapeWithTheRightReason() {
        String[] p = partner("Digital");
        assertFail99(api.post("/api/settings/setWebhook", null, "{\"url\":\"https://example.com/h\"}"), 3);
        assertFail99(api.get("/api/settings/getWebhook", null), 3);
        assertFail99(api.post("/api/settings/setWebhook", "phk_not-a-key", "{\"url\":\"https://example.com/h\"}"), 2);
        assertFail99(api.get("/api/settings/getWebhook", "phk_not-a-key"), 2);
        assertFail99(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"ftp://example.com/h\"}"), 13);
        assertFail99(
                api.post("/api/settings/setWebhook", p[1], "{\"url\":\"https://example.com/" + "a".repeat(500) + "\"}"),
                13);
        assertFail99(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"http://10.0.0.7/hook\"}"), 13);
        assertFail99(api.post("/api/settings/setWebhook", p[1], "{\"url\":\"https://user:pw@example.com/h\"}"), 13);
        assertFail99(api.post("/api/settings/setWebhook", p[1], "{}"), 13);
        assertFail99(api.post("/api/settings/setWebhook", p[1], "not json"), 13);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();
    }

    @Test
    void ninetyNineDigitalClientsMaySendTheBodyAsTextOrAsAForm() {
        String[] p = partner("Digital");
        String url = receiver.url("/typed");
        Api.Response text =
                api.callWithType("POST", "/api/settings/setWebhook", p[1], "{\"url\":\"" + url + "\"}", "text/plain");
        assertThat(text.json().get("status").asText()).as(text.body()).isEqualTo("OK");
        String formUrl = receiver.url("/form");
        Api.Response form = api.callWithType(
                "POST",
                "/api/settings/setWebhook",
                p[1],
                "url=" + URLEncoder.encode(formUrl, StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
        assertThat(form.json().toString())
                .as(form.body())
                .isEqualTo("{\"status\":\"OK\",\"url\":\"" + formUrl + "\",\"reason\":1}");
    }

    @Test
    void theDefaultEndpointKeepsItsFormat() {
        String[] p = partner("Digital");
        api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + receiver.url("/99") + "\"}");
        String id = api.get("/v1/endpoints", p[1])
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asText();
        Api.Response r = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"format\":\"standard\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("format");
        // Narrowing its event types is fine.
        Api.Response narrowed = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"event_types\":[\"builder.*\"]}");
        assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(200);
    }

    // ---- 360dialog settings routes ----

    @Test
    void dialog360SetsAndReadsItsOwnDefaultEndpointBesideThe99digitalOne() throws Exception {
        String[] p = partner("Hub");
        String path = "/api/v2/partners/" + p[0] + "/webhook_url";
        HttpResponse<String> none = raw("GET", path, Map.of("X-API-Key", p[1]), null);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("{\"webhook_url\":null}");

        String url = receiver.url("/360");
        HttpResponse<String> set = raw(
                "POST",
                path,
                Map.of("X-API-Key", p[1], "Content-Type", "application/json"),
                "{\"webhook_url\":\"" + url + "\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).isEqualTo("{\"webhook_url\":\"" + url + "\"}");
        HttpResponse<String> read = raw("GET", path, Map.of("Authorization", "Bearer " + p[1]), null);
        assertThat(read.body()).isEqualTo("{\"webhook_url\":\"" + url + "\"}");

        api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + receiver.url("/99") + "\"}");
        JsonNode eps = api.get("/v1/endpoints", p[1]).json().get("data");
        assertThat(eps).hasSize(2);
        assertThat(eps.findValuesAsText("format")).containsExactlyInAnyOrder("360dialog", "99digital");
    }

    @Test
    void dialog360RefusesOtherPartnersMissingKeysAndBadUrls() throws Exception {
        String[] p = partner("Hub");
        String[] q = partner("Someone else");
        String path = "/api/v2/partners/" + p[0] + "/webhook_url";
        assertThat(raw("GET", "/api/v2/partners/" + q[0] + "/webhook_url", Map.of("X-API-Key", p[1]), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(raw(
                                "POST",
                                "/api/v2/partners/" + q[0] + "/webhook_url",
                                Map.of("X-API-Key", p[1]),
                                "{\"webhook_url\":\"https://example.com/h\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(raw("GET", path, Map.of(), null).statusCode()).isEqualTo(401);
        assertThat(raw("GET", path, Map.of("X-API-Key", "phk_wrong"), null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> bad =
                raw("POST", path, Map.of("X-API-Key", p[1]), "{\"webhook_url\":\"http://169.254.169.254/\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(Api.JSON
                        .readTree(bad.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("webhook_url");
        HttpResponse<String> missing = raw("POST", path, Map.of("X-API-Key", p[1]), "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Api.JSON
                        .readTree(missing.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("webhook_url");
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();
        assertThat(api.get("/v1/endpoints", q[1]).json().get("data")).isEmpty();
    }

    // ---- deliveries in each format, end to end ----

    @Test
    void aNinetyNineDigitalEndpointGetsItsShapeAndUnmappedTypesInStandardForm() throws IOException {
        String[] p = partner("Digital");
        api.post("/api/settings/setWebhook", p[1], "{\"url\":\"" + receiver.url("/99") + "\"}");
        String secret = secretOfOnlyEndpoint(p[1]);

        String eventId = publish(p[0], "builder.updated", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        assertThat(r.bodyText())
                .isEqualTo("{\"status\":\"OK\",\"event\":\"builder\",\"builderID\":523,"
                        + "\"builder_url\":\"https://builder4.99digital.co.il/b/523\",\"builder_reference\":\"63f563\","
                        + "\"builder_extra_info\":1}");
        assertThat(r.header("webhook-id")).isEqualTo(eventId);
        verifyStandardSignature(r, secret);

        publish(p[0], "client.created", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        Received standard = receiver.received().get(1);
        assertThat(Api.JSON.readTree(standard.body()).get("type").asText()).isEqualTo("client.created");
        verifyStandardSignature(standard, secret);
    }

    @Test
    void a360dialogEndpointGetsIdEventDataAndItsCustomHeaders() {
        String[] p = partner("Hub");
        JsonNode ep = created(
                api.post(
                        "/v1/endpoints",
                        p[1],
                        "{\"url\":\"" + receiver.url("/360")
                                + "\",\"event_types\":[\"channel.*\"],\"format\":\"360dialog\",\"headers\":{\"X-Partner-Token\":\"tok-1\"}}"));
        assertThat(ep.get("format").asText()).isEqualTo("360dialog");

        String eventId = publish(p[0], "channel.live", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        JsonNode body = json(r);
        assertThat(body.fieldNames()).toIterable().containsExactly("id", "event", "data");
        assertThat(body.get("id").asText()).isEqualTo(eventId);
        assertThat(body.get("event").asText()).isEqualTo("channel_live");
        assertThat(body.get("data").get("id").asText()).isEqualTo("ch_Kp4Tz9Wq");
        assertThat(body.get("data").get("setup_info").get("phone_name").asText())
                .isEqualTo("Bäckerei Sommer");
        assertThat(body.get("data").get("client").get("name").asText()).isEqualTo("Bäckerei Sommer GmbH");
        assertThat(r.header("X-Partner-Token")).isEqualTo("tok-1");
        verifyStandardSignature(r, ep.get("secret").asText());
    }

    @Test
    void aTimelinesAiEndpointGetsItsFlatBodyAndAVerifiableJwt() {
        String[] p = partner("Reseller");
        JsonNode ep = created(api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/tl")
                        + "\",\"event_types\":[\"workspace.*\"],\"format\":\"timelinesai\"}"));
        String secret = ep.get("secret").asText();

        publish(p[0], "workspace.quota.messaging.near_limit", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        JsonNode body = json(r);
        assertThat(body.get("event_type").asText()).isEqualTo("workspace:quota_near_full:messaging");
        assertThat(body.get("workspace_id").asText()).isEqualTo("ws_acme-support");
        assertThat(body.get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(body.get("messaging_quota_total").asInt()).isEqualTo(10000);
        assertThat(body.get("messaging_quota_used").asInt()).isEqualTo(9150);
        assertThat(body.get("utilization_pct").asInt()).isEqualTo(91);
        assertThat(body.get("current_period_end").asText()).isEqualTo("2026-12-01T00:00:00.000Z");
        assertThat(body.has("triggered_at")).isTrue();
        assertThat(r.header("X-TL-Partner-Id")).isEqualTo(p[0]);

        // Verified by auth0 java-jwt, keyed with the endpoint secret string, at the attempt's time.
        JWTVerifier verifier = ((JWTVerifier.BaseVerification)
                        JWT.require(Algorithm.HMAC256(secret)).withClaim("partner_id", r.header("X-TL-Partner-Id")))
                .build(Clock.fixed(clock.instant(), ZoneOffset.UTC));
        DecodedJWT jwt = verifier.verify(r.header("X-TL-Signature"));
        assertThat(jwt.getClaim("partner_id").asString()).isEqualTo(p[0]);
        verifyStandardSignature(r, secret);
    }

    // ---- helpers ----

    private static void assertFail99(Api.Response r, int reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.get("status").asText()).as(r.body()).isEqualTo("FAIL");
        assertThat(j.get("reason").asInt()).as(r.body()).isEqualTo(reason);
        assertThat(j.has("url")).isTrue();
    }

    private static JsonNode created(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static JsonNode json(Received r) {
        try {
            return Api.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String secretOfOnlyEndpoint(String key) {
        JsonNode eps = api.get("/v1/endpoints", key).json().get("data");
        assertThat(eps).hasSize(1);
        return api.get("/v1/endpoints/" + eps.get(0).get("id").asText() + "/secret", key)
                .json()
                .get("secret")
                .asText();
    }

    private void verifyStandardSignature(Received r, String secret) {
        new WebhookVerifier(secret)
                .verify(
                        r.body(),
                        r.header("webhook-id"),
                        r.header("webhook-timestamp"),
                        r.header("webhook-signature"),
                        clock.instant());
    }

    private HttpResponse<String> raw(String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
