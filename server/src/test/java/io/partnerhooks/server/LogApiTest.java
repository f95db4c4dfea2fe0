package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.TestReceiver.Received;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Test sends, and what the log shows of each attempt's request. */
abstract class LogApiTest extends AppTestBase {

    private JsonNode awaitDelivery(String key, String deliveryId, String status) {
        await().atMost(WAIT)
                .until(() -> api.get("/v1/deliveries/" + deliveryId, key)
                        .json()
                        .get("status")
                        .asText()
                        .equals(status));
        return api.get("/v1/deliveries/" + deliveryId, key).json();
    }

    @Test
    void testSendGoesToThatEndpointOnlyWithTheCatalogExampleMarkedAsTest() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        endpoint(p[1], receiver.url("/b"), "[\"*\"]");

        Api.Response r = api.post("/v1/endpoints/" + ep + "/test", p[1], "{\"type\":\"channel.ready\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("type").asText()).isEqualTo("channel.ready");
        assertThat(r.json().get("test").asBoolean()).isTrue();
        String eventId = r.json().get("event_id").asText();
        JsonNode d = awaitDelivery(p[1], r.json().get("delivery_id").asText(), "delivered");

        List<Received> got = receiver.received();
        assertThat(got).extracting(Received::path).containsExactly("/a");
        Received req = got.get(0);
        assertThat(req.header("webhook-test")).isEqualTo("true");
        JsonNode body = Api.JSON.readTree(req.body());
        assertThat(body.get("test").asBoolean()).isTrue();
        assertThat(body.get("id").asText()).isEqualTo(eventId);
        assertThat(body.get("data"))
                .isEqualTo(Api.JSON.readTree(
                        EventCatalog.load().find("channel.ready").orElseThrow().exampleJson()));

        // the attempt shows what was sent: the same body, the headers with the signature masked
        JsonNode a = d.get("attempts").get(0);
        assertThat(a.get("http_status").asInt()).isEqualTo(200);
        assertThat(a.get("request").get("body").asText()).isEqualTo(req.bodyText());
        JsonNode headers = a.get("request").get("headers");
        assertThat(headers.get("webhook-id").asText()).isEqualTo(eventId);
        assertThat(headers.get("webhook-timestamp").asText()).isEqualTo(req.header("webhook-timestamp"));
        assertThat(headers.get("webhook-test").asText()).isEqualTo("true");
        assertThat(headers.get("webhook-signature").asText()).isEqualTo("v1,***");
        assertThat(req.header("webhook-signature")).startsWith("v1,").hasSizeGreaterThan(10);

        // the log lists it as a test event, and event reads say so
        assertThat(api.get("/v1/events/" + eventId, p[1]).json().get("test").asBoolean())
                .isTrue();
        JsonNode log = api.get("/v1/events?type=channel.*", p[1]).json().get("data");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("id").asText()).isEqualTo(eventId);
    }

    @Test
    void withoutATypeTheFirstSubscribedCatalogTypeIsSentAndAnEmptyBodyIsFine() {
        String[] p = partner("acme");
        String ep =
                endpoint(p[1], receiver.url("/a"), "[\"package.*\"]").get("id").asText();
        Api.Response r = api.call("POST", "/v1/endpoints/" + ep + "/test", p[1], null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("type").asText()).startsWith("package.");
        awaitDelivery(p[1], r.json().get("delivery_id").asText(), "delivered");
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void badTestSendsAreProblemsNamingTheField() {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        Api.Response unknown = api.post("/v1/endpoints/" + ep + "/test", p[1], "{\"type\":\"no.such.type\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("errors").findValuesAsText("field")).containsExactly("type");
        Api.Response extra = api.post("/v1/endpoints/" + ep + "/test", p[1], "{\"kind\":\"x\"}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().get("errors").findValuesAsText("field")).contains("kind");
        Api.Response notMine = api.post("/v1/endpoints/" + ep + "/test", partner("other")[1], "{}");
        assertThat(notMine.status()).isEqualTo(404);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aFailedAttemptKeepsItsRequestAndTheAnswerAndARetryAddsASecondAttempt() {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        Api.Response r = api.post("/v1/endpoints/" + ep + "/test", p[1], "{}");
        String dlv = r.json().get("delivery_id").asText();
        await().atMost(WAIT)
                .until(() -> api.get("/v1/deliveries/" + dlv, p[1])
                                .json()
                                .get("attempts")
                                .size()
                        == 1);
        JsonNode first =
                api.get("/v1/deliveries/" + dlv, p[1]).json().get("attempts").get(0);
        assertThat(first.get("http_status").asInt()).isEqualTo(500);
        assertThat(first.get("response_excerpt").asText()).isEqualTo("status 500");
        assertThat(first.get("request").get("body").asText())
                .contains(r.json().get("event_id").asText());

        assertThat(api.post("/v1/deliveries/" + dlv + "/retry", p[1], null).status())
                .isEqualTo(202);
        JsonNode d = awaitDelivery(p[1], dlv, "delivered");
        assertThat(d.get("attempts")).hasSize(2);
        assertThat(d.get("attempts").get(1).get("http_status").asInt()).isEqualTo(200);
        assertThat(d.get("attempts")
                        .get(1)
                        .get("request")
                        .get("headers")
                        .get("webhook-id")
                        .asText())
                .isEqualTo(r.json().get("event_id").asText());
    }
}
