package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.Tracing;
import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 5, traces (ADR 15): with the SDK's in-memory exporter in place of OTLP, a publish
 * continues the platform's trace, every attempt (a failing one and its retry) is a span of its
 * own linked to the publish span through the context the event kept in the database, a Meta
 * callback has its span, and an endpoint with trace_context gets the attempt's traceparent.
 */
public abstract class TracingTest extends AppTestBase {
    private static final String PLATFORM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PLATFORM_SPAN = "00f067aa0ba902b7";
    private static final String APP_SECRET = "tracing-test-app-secret";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    Config config() {
        return super.config().withMeta("verify-me", APP_SECRET);
    }

    @Override
    App startApp(Config config) {
        return App.start(
                config,
                clock,
                new NoJitterRandom(7),
                new OtelTracing(SimpleSpanProcessor.create(spans), "partnerhooks-test"));
    }

    private String publishWithTraceparent(String partnerId) throws Exception {
        String body = "{\"type\":\"" + ANY_TYPE + "\",\"partner_id\":\"" + partnerId
                + "\",\"subject\":{\"workspace_id\":\"ws_12345\"},\"data\":" + validData(ANY_TYPE, "{}") + "}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/platform/v1/events"))
                        .header("Authorization", "Bearer " + OPERATOR)
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-" + PLATFORM_TRACE + "-" + PLATFORM_SPAN + "-01")
                        .header("tracestate", "platform=abc")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Api.JSON.readTree(r.body()).get("id").asText();
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
    }

    @Test
    void aPublishContinuesThePlatformsTraceAndEveryAttemptLinksBackToIt() throws Exception {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("Traced");
        var created = api.post(
                        "/v1/endpoints",
                        p[1],
                        "{\"url\":\"" + receiver.url("/traced") + "\",\"event_types\":[\"*\"],\"trace_context\":true}")
                .json();
        String ep = created.get("id").asText();
        assertThat(created.get("trace_context").asBoolean()).isTrue();
        assertThat(api.get("/v1/endpoints/" + ep, p[1])
                        .json()
                        .get("trace_context")
                        .asBoolean())
                .isTrue();

        String eventId = publishWithTraceparent(p[0]);
        await().atMost(WAIT)
                .until(() -> receiver.received().size() == 1
                        && named("webhook attempt").size() == 1);
        // the first attempt failed (500): its retry is due 5 s later, long after the publish span ended
        clock.advance(Duration.ofSeconds(10));
        app.dispatcher().wake();
        await().atMost(WAIT)
                .until(() -> receiver.received().size() == 2
                        && named("webhook attempt").size() == 2);

        await().atMost(WAIT).until(() -> named("POST /platform/v1/events").size() == 1);
        SpanData publish = named("POST /platform/v1/events").get(0);
        assertThat(publish.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(publish.getTraceId()).isEqualTo(PLATFORM_TRACE);
        assertThat(publish.getParentSpanId()).isEqualTo(PLATFORM_SPAN);
        assertThat(publish.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(202L);

        List<SpanData> attempts = named("webhook attempt").stream()
                .sorted(Comparator.comparing(s -> s.getAttributes().get(OtelTracing.ATTEMPT)))
                .toList();
        String deliveryId = api.get("/v1/events/" + eventId + "/deliveries", p[1])
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asText();
        for (int i = 0; i < 2; i++) {
            SpanData a = attempts.get(i);
            assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(a.getAttributes().get(OtelTracing.ATTEMPT)).isEqualTo(i + 1L);
            assertThat(a.getAttributes().get(OtelTracing.ENDPOINT_ID)).isEqualTo(ep);
            assertThat(a.getAttributes().get(OtelTracing.EVENT_ID)).isEqualTo(eventId);
            assertThat(a.getAttributes().get(OtelTracing.EVENT_TYPE)).isEqualTo(ANY_TYPE);
            assertThat(a.getAttributes().get(OtelTracing.DELIVERY_ID)).isEqualTo(deliveryId);
            assertThat(a.getAttributes().get(OtelTracing.DURATION_MS))
                    .isNotNull()
                    .isGreaterThanOrEqualTo(0L);
            // its own trace, linked (not parented) to the publish span, via the context kept with the event
            assertThat(a.getParentSpanContext().isValid()).isFalse();
            assertThat(a.getTraceId()).isNotEqualTo(PLATFORM_TRACE);
            assertThat(a.getLinks()).extracting(LinkData::getSpanContext).anySatisfy(l -> {
                assertThat(l.getTraceId()).isEqualTo(PLATFORM_TRACE);
                assertThat(l.getSpanId()).isEqualTo(publish.getSpanId());
                assertThat(l.getTraceState().get("platform")).isEqualTo("abc");
            });
            // the partner got this attempt's traceparent, and the signature still verifies without it
            TestReceiver.Received got = receiver.received().get(i);
            // (the flags byte is the SDK's: sampled, and with 1.68 the W3C "random trace id" bit too)
            assertThat(got.header("traceparent")).startsWith("00-" + a.getTraceId() + "-" + a.getSpanId() + "-");
            new WebhookVerifier(created.get("secret").asText())
                    .verify(
                            got.body(),
                            got.header("webhook-id"),
                            got.header("webhook-timestamp"),
                            got.header("webhook-signature"),
                            Instant.ofEpochSecond(Long.parseLong(got.header("webhook-timestamp"))));
        }
        assertThat(attempts.get(0).getAttributes().get(OtelTracing.HTTP_STATUS)).isEqualTo(500L);
        assertThat(attempts.get(0).getAttributes().get(OtelTracing.ERROR_TYPE)).isEqualTo("500");
        assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempts.get(1).getAttributes().get(OtelTracing.HTTP_STATUS)).isEqualTo(200L);
        assertThat(attempts.get(1).getAttributes().get(OtelTracing.OUTCOME)).isEqualTo("delivered");
        assertThat(attempts.get(1).getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }

    @Test
    void anEndpointWithoutTraceContextGetsNoTraceparentButItsAttemptsAreTraced() throws Exception {
        String[] p = partner("Untraced");
        String ep = endpoint(p[1], receiver.url("/plain"), "[\"*\"]").get("id").asText();
        assertThat(api.get("/v1/endpoints/" + ep, p[1])
                        .json()
                        .get("trace_context")
                        .asBoolean())
                .isFalse();
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> receiver.received().size() == 1
                        && named("webhook attempt").size() == 1);
        assertThat(receiver.received().get(0).header("traceparent")).isNull();
        // a publish without a traceparent starts a trace of its own, and the attempt links to it
        SpanData publish = named("POST /platform/v1/events").get(0);
        assertThat(publish.getParentSpanContext().isValid()).isFalse();
        assertThat(named("webhook attempt").get(0).getLinks())
                .extracting(l -> l.getSpanContext().getSpanId())
                .containsExactly(publish.getSpanId());
        // switched on by PATCH, and the next attempt carries it
        assertThat(api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"trace_context\":true}")
                        .json()
                        .get("trace_context")
                        .asBoolean())
                .isTrue();
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received().get(1).header("traceparent")).startsWith("00-");
    }

    @Test
    void aBatchPublishContinuesTheTraceAndEachEventKeepsItsSpansContext() throws Exception {
        String[] p = partner("Batch");
        String one = "{\"type\":\"" + ANY_TYPE + "\",\"partner_id\":\"" + p[0]
                + "\",\"subject\":{\"workspace_id\":\"ws_12345\"},\"data\":" + validData(ANY_TYPE, "{}") + "}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/platform/v1/events/batch"))
                        .header("Authorization", "Bearer " + OPERATOR)
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-" + PLATFORM_TRACE + "-" + PLATFORM_SPAN + "-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[" + one + "," + one + "]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> named("POST /platform/v1/events/batch").size() == 1);
        SpanData batch = named("POST /platform/v1/events/batch").get(0);
        assertThat(batch.getTraceId()).isEqualTo(PLATFORM_TRACE);
        assertThat(batch.getParentSpanId()).isEqualTo(PLATFORM_SPAN);
        for (var result : Api.JSON.readTree(r.body()).get("data")) {
            String kept = app.store()
                    .events()
                    .find(new PartnerId(p[0]), new EventId(result.get("id").asText()))
                    .orElseThrow()
                    .traceContext();
            assertThat(kept).startsWith("00-" + PLATFORM_TRACE + "-" + batch.getSpanId() + "-");
        }
    }

    @Test
    void aMetaCallbackHasItsSpan() throws Exception {
        byte[] body = MetaWebhookTest.golden("text");
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/meta/webhook"))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", MetaWebhookTest.hubSignature(APP_SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> named("POST /meta/webhook").size() == 1);
        SpanData s = named("POST /meta/webhook").get(0);
        assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(s.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        assertThat(s.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                .isEqualTo("partnerhooks-test");
    }

    @Test
    void aRelaysAttemptLinksToTheMetaCallbackSpan() throws Exception {
        String[] p = partner("Relayed");
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_ch_t",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"Relayed client\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_t",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"client_id\":\"cl_ch_t\",\"phone_number\":\"+4915123456789\",\"phone_number_id\":\""
                                        + MetaWebhookTest.PNID + "\",\"waba_id\":\"" + MetaWebhookTest.WABA + "\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call("PUT", "/v1/channels/ch_t/webhook", p[1], "{\"url\":\"" + receiver.url("/wa") + "\"}")
                        .status())
                .isEqualTo(200);
        int before = receiver.received().size();
        byte[] body = MetaWebhookTest.golden("text");
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/meta/webhook"))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", MetaWebhookTest.hubSignature(APP_SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(WAIT)
                .until(() -> receiver.received().size() > before
                        && named("webhook attempt").size() == 1
                        && named("POST /meta/webhook").size() == 1);
        SpanData callback = named("POST /meta/webhook").get(0);
        assertThat(named("webhook attempt").get(0).getLinks())
                .extracting(l -> l.getSpanContext().getSpanId())
                .containsExactly(callback.getSpanId());
    }

    @Test
    void withNoEndpointConfiguredNothingIsSetUp() throws Exception {
        app.close();
        app = App.start(config(), clock, new NoJitterRandom(7));
        api = new Api(app.port());
        assertThat(config().telemetry().endpoint()).isNull();
        assertThat(app.tracing()).isSameAs(Tracing.NONE);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().contains("BatchSpanProcessor"));
        String[] p = partner("Off");
        endpoint(p[1], receiver.url("/off"), "[\"*\"]");
        api.call(
                "PATCH",
                "/v1/endpoints/"
                        + api.get("/v1/endpoints", p[1])
                                .json()
                                .get("data")
                                .get(0)
                                .get("id")
                                .asText(),
                p[1],
                "{\"trace_context\":true}");
        String id = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        // trace_context asks for a header only a span can fill: with tracing off none is sent
        assertThat(receiver.received().get(0).header("traceparent")).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(app.store()
                        .events()
                        .find(new PartnerId(p[0]), new EventId(id))
                        .orElseThrow()
                        .traceContext())
                .isNull();
    }

    /** The real OTLP/HTTP exporter, as PARTNERHOOKS_OTEL_ENDPOINT sets it up, posts protobuf to a collector. */
    @Test
    void withAnEndpointConfiguredSpansGoToTheCollectorOverOtlpHttp() throws Exception {
        try (TestReceiver collector = new TestReceiver()) {
            app.close();
            app = App.start(
                    config().withTelemetry(new Config.Telemetry(collector.url(""), null)),
                    clock,
                    new NoJitterRandom(7));
            api = new Api(app.port());
            assertThat(app.tracing().enabled()).isTrue();
            String[] p = partner("Exported");
            endpoint(p[1], receiver.url("/exported"), "[\"*\"]");
            publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT).until(() -> receiver.received().size() == 1);
            app.close(); // flushes the batch
            app = null;
            assertThat(collector.received()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/v1/traces");
                assertThat(r.header("content-type")).isEqualTo("application/x-protobuf");
            });
            String exported = collector.received().stream()
                    .map(r -> new String(r.body(), StandardCharsets.ISO_8859_1))
                    .reduce("", String::concat);
            assertThat(exported).contains("webhook attempt", "POST /platform/v1/events", "partnerhooks");
        }
    }

    @Test
    void theEndpointSettingFallsBackToTheStandardVariable() {
        assertThat(Config.Telemetry.of("", null, null)).isEqualTo(Config.Telemetry.OFF);
        assertThat(Config.Telemetry.of(null, "http://collector:4318", null).endpoint())
                .isEqualTo("http://collector:4318");
        assertThat(Config.Telemetry.of("http://ours:4318", "http://std:4318", "")
                        .endpoint())
                .isEqualTo("http://ours:4318");
        assertThat(Config.Telemetry.of("http://ours:4318", null, " ").serviceName())
                .isEqualTo("partnerhooks");
        Assertions.assertThatThrownBy(() -> Config.Telemetry.of("collector:4318", null, null))
                .hasMessageContaining("OTEL_ENDPOINT");
    }
}
