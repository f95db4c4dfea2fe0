package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.server.delivery.BlockedAddressException;
import io.partnerhooks.server.delivery.GuardedResolver;
import io.partnerhooks.server.support.Api;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14 (items 5 to 9): requests a careless client or an attacker sends at the HTTP layer —
 * aborted bodies, lenient parsing, malformed requests the HTTP server itself refuses, DNS answers
 * in refusals, and the sign-in form's CSRF pair. Nothing here depends on the database, so it runs
 * once, on SQLite.
 */
class RequestHardeningTest extends AppTestBase {
    static final String META_SECRET = "meta-app-secret-for-tests";

    /** Every log event of the process while a test runs. */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            events.add(e);
        }

        List<ILoggingEvent> mentioning(String text) {
            return events.stream()
                    .filter(e -> e.getFormattedMessage().contains(text))
                    .toList();
        }
    }

    private final Captured log = new Captured();

    @Override
    protected String databaseUrl() {
        return "";
    }

    /** No internal targets at all (nothing here delivers to the test receiver), and Meta's app secret only. */
    @Override
    Config config() {
        return super.config().withAllowedTargets("").withMeta(null, META_SECRET);
    }

    @BeforeEach
    void captureLogs() {
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(log);
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    // ---- raw HTTP, for what a well-behaved client library refuses to send ----

    record Raw(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private Raw raw(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            String body = split < 0 ? "" : all.substring(split + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Raw(status, head, body);
        }
    }

    private Raw raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a request whose Content-Length promises 1000 bytes, sends 4, and closes the socket. */
    private void abortedPost(String path, String contentType) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                            + "\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: 1000\r\n\r\nabcd")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private void assertOneQuietLineAbout(String path) {
        await().atMost(WAIT).until(() -> !log.mentioning(path).isEmpty());
        List<ILoggingEvent> lines = log.mentioning(path);
        assertThat(lines).as("log lines about %s", path).hasSize(1);
        assertThat(lines.get(0).getLevel().isGreaterOrEqual(Level.ERROR))
                .as(lines.get(0).getFormattedMessage())
                .isFalse();
        assertThat(log.events)
                .allSatisfy(e -> assertThat(e.getThrowableProxy())
                        .as("stack trace logged with: " + e.getFormattedMessage())
                        .isNull());
        assertThat(log.events).noneMatch(e -> e.getFormattedMessage().contains("unexpected failure"));
    }

    @Test
    void anAbortedMetaCallbackBodyLogsOneLineWithoutAStack() throws Exception {
        abortedPost("/meta/webhook", "application/json");
        assertOneQuietLineAbout("/meta/webhook");
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void anAbortedSignInBodyLogsOneLineWithoutAStack() throws Exception {
        abortedPost("/ui/login", "application/x-www-form-urlencoded");
        assertOneQuietLineAbout("/ui/login");
    }

    // ---- lenient parsing ----

    private Api.Response postBytes(String path, String key, byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new Api.Response(
                r.statusCode(),
                r.headers().firstValue("content-type").orElse(""),
                r.body(),
                r.headers().map());
    }

    private static void assertFieldError(Api.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asText())
                .as(r.body())
                .isEqualTo(field);
    }

    @Test
    void trailingContentAfterTheJsonDocumentIsRefused() {
        String[] p = partner("acme");
        String one = "{\"url\":\"https://example.com/a\",\"event_types\":[\"*\"]}";
        assertFieldError(api.post("/v1/endpoints", p[1], one + one), 400, "body");
        assertFieldError(api.post("/v1/endpoints", p[1], one + " x"), 400, "body");
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();
        assertFieldError(api.post("/platform/v1/partners", OPERATOR, "{\"name\":\"a\"} {\"name\":\"b\"}"), 400, "body");
        assertThat(api.post("/v1/endpoints", p[1], one + "\n").status()).isEqualTo(201);
    }

    @Test
    void invalidUtf8OfAnyKindIsRefused() throws Exception {
        String[] p = partner("acme");
        byte[][] bad = {
            {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong, three bytes
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate
            {(byte) 0x80}, // a lone continuation byte
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        };
        for (byte[] b : bad) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write("{\"url\":\"https://example.com/".getBytes(StandardCharsets.US_ASCII));
            body.write(b);
            body.write("\",\"event_types\":[\"*\"]}".getBytes(StandardCharsets.US_ASCII));
            Api.Response r = postBytes("/v1/endpoints", p[1], body.toByteArray());
            assertFieldError(r, 400, "body");
            assertThat(r.json().get("detail").asText()).contains("UTF-8");
        }
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();
        assertThat(postBytes(
                                "/v1/endpoints",
                                p[1],
                                "{\"url\":\"https://example.com/é\",\"event_types\":[\"*\"]}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void urlPortsOutsideOneTo65535AreRefused() {
        String[] p = partner("acme");
        for (String port : List.of("0", "65536", "99999")) {
            Api.Response r = api.post(
                    "/v1/endpoints", p[1], "{\"url\":\"https://example.com:" + port + "/a\",\"event_types\":[\"*\"]}");
            assertFieldError(r, 400, "url");
            assertThat(r.body()).contains("port");
        }
        assertThat(api.post("/v1/endpoints", p[1], "{\"url\":\"https://example.com:65535/a\",\"event_types\":[\"*\"]}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void unknownQueryParametersAreRefusedLikeUnknownBodyFields() {
        String[] p = partner("acme");
        assertFieldError(api.get("/v1/endpoints?limt=5", p[1]), 400, "limt");
        assertFieldError(api.get("/v1/events?limit=5&evnt_type=x", p[1]), 400, "evnt_type");
        assertFieldError(api.get("/platform/v1/audit-log?partner=" + p[0], OPERATOR), 400, "partner");
        assertFieldError(api.call("DELETE", "/v1/thresholds?quota=messaging&percent=75&x=1", p[1], null), 400, "x");
        assertThat(api.get("/v1/events?limit=5&type=*&since=2026-01-01T00:00:00Z", p[1])
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/platform/v1/audit-log?partner_id=" + p[0] + "&limit=2", OPERATOR)
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/v1/event-types?prefix=workspace", p[1]).status()).isEqualTo(200);
    }

    @Test
    void aDuplicateKeyIsNamedWithoutTheJsonLibrarysInternals() {
        String[] p = partner("acme");
        Api.Response r = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"https://example.com/a\",\"url\":\"https://example.com/b\",\"event_types\":[\"*\"]}");
        assertFieldError(r, 400, "url");
        assertThat(r.body())
                .doesNotContain("ObjectNode")
                .doesNotContain("DeserializationFeature")
                .doesNotContain("`")
                .contains("more than once");
        Api.Response nested = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"https://example.com/a\",\"event_types\":[\"*\"],"
                        + "\"headers\":{\"X-A\":\"1\",\"X-A\":\"2\"}}");
        assertFieldError(nested, 400, "headers.X-A");
    }

    // ---- error answers in the API's shape ----

    private static void assertProblem(Raw r, int status) {
        assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.head()).startsWith("application/problem+json");
        JsonNode n;
        try {
            n = Api.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
        assertThat(n.get("status").asInt()).isEqualTo(status);
        assertThat(n.get("title").asText()).isNotBlank().doesNotStartWith("HTTP ");
        assertThat(n.get("detail").asText()).isNotBlank();
    }

    @Test
    void requestsTheHttpServerRefusesAnswerAsProblems() throws Exception {
        assertProblem(raw("GET /v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
        assertProblem(
                raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\0b\r\nConnection: close\r\n\r\n"), 400);
        assertProblem(
                raw("GET /" + "a".repeat(10 * 1024) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                414);
        assertProblem(
                raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(9 * 1024)
                        + "\r\nConnection: close\r\n\r\n"),
                431);
    }

    @Test
    void methodNotAllowedNamesTheAllowedMethods() {
        String[] p = partner("acme");
        Api.Response r = api.call("PUT", "/v1/events", p[1], "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(405);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Allow")).isEqualTo("GET");
        Api.Response endpoint = api.call("PUT", "/v1/endpoints/ep_01JD3XAAAAAAAAAAAAAAAAAAAA", p[1], "{}");
        assertThat(endpoint.status()).isEqualTo(405);
        assertThat(endpoint.header("Allow")).isEqualTo("DELETE, GET, PATCH");
    }

    @Test
    void errorTitlesSayWhatHappened() {
        Api.Response meta = api.get("/meta/webhook?hub.mode=subscribe", null);
        assertThat(meta.status()).isEqualTo(503);
        assertThat(meta.json().get("title").asText()).isEqualTo("Service unavailable");

        Api.Response unknown = api.get("/nothing/here", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body()).doesNotContain("Endpoint").contains("No such route");
        String[] p = partner("acme");
        Api.Response unknownV1 = api.get("/v1/nothing", p[1]);
        assertThat(unknownV1.status()).isEqualTo(404);
        assertThat(unknownV1.body()).doesNotContain("Endpoint").contains("No such route");
    }

    @Test
    void theDashboardsNotFoundIsAnHtmlPage() {
        Api.Response r = api.get("/ui/no-such-page", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.body()).contains("<html").contains("Not found");
    }

    // ---- DNS answers do not leak ----

    @Test
    void aRefusedNameDoesNotShowWhereItResolves() throws Exception {
        var resolver = new GuardedResolver(AddressPolicy.denyInternal(), Runnable::run);
        var promise = new CompletableFuture<List<InetSocketAddress>>();
        resolver.resolve("localhost", 80, Map.of(), Promise.from(promise));
        Throwable refusal = Assertions.catchThrowable(promise::join).getCause();
        assertThat(refusal).isInstanceOf(BlockedAddressException.class);
        assertThat(refusal.getMessage())
                .isEqualTo("localhost resolves to an address deliveries may not reach")
                .doesNotContain("127.0.0.1")
                .doesNotContain("::1")
                .doesNotContain("loopback");
        // the operator's log keeps the detail
        assertThat(log.mentioning("localhost"))
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("loopback"));
    }

    @Test
    void aDeliveryRefusedAfterResolutionShowsThePartnerNoAddress() throws Exception {
        String[] p = partner("acme");
        endpoint(p[1], "http://localhost:" + receiver.port() + "/hook", "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        String deliveryId = deliveries(p[1], eventId).get(0).get("id").asText();
        await().atMost(WAIT)
                .until(() -> api.get("/v1/deliveries/" + deliveryId, p[1])
                                .json()
                                .get("attempts")
                                .size()
                        >= 1);
        Api.Response d = api.get("/v1/deliveries/" + deliveryId, p[1]);
        assertThat(d.json().get("attempts").get(0).get("error_class").asText()).isEqualTo("blocked");
        assertThat(d.body())
                .contains("resolves to an address deliveries may not reach")
                .doesNotContain("127.0.0.1")
                .doesNotContain("::1")
                .doesNotContain("loopback");
    }

    @Test
    void aMessagingWebhookHandshakeRefusedAfterResolutionShowsThePartnerNoAddress() {
        String[] p = partner("acme");
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_1",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"c\"}")
                        .status())
                .isEqualTo(200);
        Api.Response ch = api.call(
                "PUT",
                "/platform/v1/channels/ch_1",
                OPERATOR,
                "{\"partner_id\":\"" + p[0]
                        + "\",\"client_id\":\"cl_1\",\"phone_number\":\"+4915123456789\",\"phone_number_id\":\"1234567\","
                        + "\"waba_id\":\"7654321\"}");
        assertThat(ch.status()).as(ch.body()).isEqualTo(200);
        Api.Response r = api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"http://localhost:" + receiver.port() + "/wa\",\"verify_token\":\"tok\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors"))
                .anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo("url"));
        assertThat(r.body())
                .contains("resolves to an address deliveries may not reach")
                .doesNotContain("127.0.0.1")
                .doesNotContain("::1")
                .doesNotContain("loopback");
    }

    // ---- sign-in CSRF ----

    @Test
    void anEmptyCsrfPairDoesNotSignIn() throws Exception {
        String[] p = partner("acme");
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/ui/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Cookie", "ph_login=")
                                .POST(HttpRequest.BodyPublishers.ofString("csrf=&key=" + p[1]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().allValues("set-cookie"))
                .noneMatch(c -> c.startsWith("ph_session=") && !c.contains("Max-Age=0"));
    }
}
