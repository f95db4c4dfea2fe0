package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.meta.MetaEvents;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Meta → Partnerhooks → the partner's Cloud API receiver, with real HTTP on both sides. Golden
 * callbacks live in src/test/resources/meta/: a callback holding one number's change must reach
 * the number's webhook as exactly the bytes Meta sent, signed with the webhook's secret.
 */
public abstract class MetaWebhookTest extends AppTestBase {
    static final String APP_SECRET = "meta-app-secret-for-tests";
    static final String VERIFY_TOKEN = "verify-me-please";
    static final String PNID = "106540352242922";
    static final String WABA = "102290129340398";
    static final List<String> GOLDEN = List.of(
            "text",
            "reaction",
            "image",
            "video",
            "audio",
            "document",
            "sticker",
            "location",
            "contacts",
            "button",
            "button_reply",
            "list_reply",
            "nfm_reply",
            "order",
            "system",
            "request_welcome",
            "unsupported",
            "status_sent",
            "status_delivered",
            "status_read",
            "status_failed",
            "echo");
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    Config config() {
        return super.config().withMeta(VERIFY_TOKEN, APP_SECRET);
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = MetaWebhookTest.class.getResourceAsStream("/meta/" + name + ".json")) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static String hubSignature(String key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    HttpResponse<String> postMeta(byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/meta/webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postMeta(byte[] body) throws Exception {
        return postMeta(body, hubSignature(APP_SECRET, body));
    }

    /** A partner with a live channel whose Meta phone number id is {@code pnid}; returns {partner id, key}. */
    String[] partnerWithChannel(String name, String channelId, String pnid, String waba) {
        String[] p = partner(name);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_" + channelId,
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"" + name + " client\"}")
                        .status())
                .isEqualTo(200);
        Api.Response ch = api.call(
                "PUT",
                "/platform/v1/channels/" + channelId,
                OPERATOR,
                "{\"partner_id\":\"" + p[0]
                        + "\",\"client_id\":\"cl_" + channelId
                        + "\",\"phone_number\":\"+4915123456789\",\"phone_number_id\":\""
                        + pnid + "\",\"waba_id\":\"" + waba + "\"}");
        assertThat(ch.status()).as(ch.body()).isEqualTo(200);
        return p;
    }

    /** Sets the channel's messaging webhook; returns its secret. */
    String webhook(String key, String channelId, String url) {
        Api.Response r = api.call(
                "PUT",
                "/v1/channels/" + channelId + "/webhook",
                key,
                "{\"url\":\"" + url + "\",\"headers\":{\"Authorization\":\"Basic cGFydG5lcjpzM2NyZXQ=\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("format").asText()).isEqualTo("cloud_api");
        return r.json().get("secret").asText();
    }

    @Test
    void relaysThatCameWhileTheNumbersWebhookWasOffArriveByAMissingReplayAndOnlyThere() throws Exception {
        String[] p = partnerWithChannel("Late", "ch_1", PNID, WABA);
        String all = endpoint(p[1], receiver.url("/all"), "[\"*\"]").get("id").asText();
        List<String> names = List.of("text", "reaction", "status_read");
        for (String name : names) {
            assertThat(postMeta(golden(name)).statusCode()).isEqualTo(200);
        }
        // the number had no webhook: the relays are logged with nothing to deliver
        webhook(p[1], "ch_1", receiver.url("/wa"));
        String wa = api.get("/v1/channels/ch_1/webhook", p[1])
                .json()
                .get("endpoint_id")
                .asText();
        clock.advance(Duration.ofSeconds(1));

        Api.Response r = api.post(
                "/v1/endpoints/" + wa + "/replay", p[1], "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("matched").asLong()).isEqualTo(names.size());
        await().atMost(WAIT)
                .until(() -> receiver.received().stream()
                                .filter(x -> x.path().equals("/wa"))
                                .count()
                        == names.size());
        List<String> bodies = receiver.received().stream()
                .filter(x -> x.path().equals("/wa"))
                .map(x -> new String(x.body(), StandardCharsets.UTF_8))
                .toList();
        List<String> goldens = new ArrayList<>();
        for (String name : names) {
            goldens.add(new String(golden(name), StandardCharsets.UTF_8));
        }
        // exactly Meta's bytes, as a live relay would have been
        assertThat(bodies).containsExactlyInAnyOrderElementsOf(goldens);
        // an ordinary endpoint never gets relays, by replay either: only the partner's other events
        // (the client's and channel's, published before it existed)
        // the replay's own replay.completed (issue 16 item 4), whenever it is written, carries the
        // frozen clock's now: the end of the next replay's window, which leaves it out
        int logged = 0;
        for (var e : api.get("/v1/events?limit=100", p[1]).json().get("data")) {
            logged += "replay.completed".equals(e.get("type").asText()) ? 0 : 1;
        }
        assertThat(logged).isGreaterThan(names.size());
        assertThat(api.post(
                                "/v1/endpoints/" + all + "/replay",
                                p[1],
                                "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\"}")
                        .json()
                        .get("matched")
                        .asLong())
                .isEqualTo(logged - names.size());
    }

    @Test
    void everyGoldenCallbackReachesTheNumbersWebhookByteForByteAndSigned() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        String secret = webhook(p[1], "ch_1", receiver.url("/wa"));
        // an ordinary endpoint subscribed to everything: relays are not its business
        endpoint(p[1], receiver.url("/all"), "[\"*\"]");
        for (int i = 0; i < GOLDEN.size(); i++) {
            byte[] in = golden(GOLDEN.get(i));
            HttpResponse<String> r = postMeta(in);
            assertThat(r.statusCode()).as(GOLDEN.get(i) + ": " + r.body()).isEqualTo(200);
            assertThat(Api.JSON.readTree(r.body()).get("relayed").asInt())
                    .as(GOLDEN.get(i))
                    .isEqualTo(1);
            int n = i + 1;
            await().atMost(WAIT).until(() -> receiver.received().size() == n);
            TestReceiver.Received got = receiver.received().get(i);
            assertThat(got.path()).isEqualTo("/wa");
            assertThat(got.body()).as(GOLDEN.get(i)).isEqualTo(in);
            assertThat(got.header("x-hub-signature-256")).isEqualTo(hubSignature(secret, got.body()));
            assertThat(got.header("authorization")).isEqualTo("Basic cGFydG5lcjpzM2NyZXQ=");
            assertThat(got.header("webhook-id")).startsWith("evt_");
            assertThat(got.header("webhook-signature")).startsWith("v1,");
            // ordered per conversation: the number and the customer, never the business itself
            assertThat(got.header("webhook-ordering-key"))
                    .as(GOLDEN.get(i))
                    .matches("phone_number_id:" + PNID + "\\+wa_id:\\d+");
            assertThat(got.header("webhook-sequence")).as(GOLDEN.get(i)).matches("[1-9]\\d*");
        }
        // each relay is in the partner's event log under its catalog type, and its summary fits the schema
        JsonNode events =
                api.get("/v1/events?channel_id=ch_1&limit=100", p[1]).json().get("data");
        assertThat(events).hasSize(GOLDEN.size() + 1); // + channel.created
        EventCatalog catalog = EventCatalog.load();
        List<String> types = new ArrayList<>();
        for (JsonNode e : events) {
            String type = e.get("type").asText();
            types.add(type);
            ObjectNode data = (ObjectNode) e.get("data").deepCopy();
            data.remove("cloud_api");
            assertThat(catalog.validate(type, data)).as(type + " " + data).isEmpty();
        }
        assertThat(types)
                .contains(
                        "message.received",
                        "message.sent",
                        "message.delivered",
                        "message.read",
                        "message.failed",
                        "message.echoed",
                        "contact.number.changed");
        // a replay tells relays apart by these types: every relay's type must be among them
        assertThat(MetaEvents.RELAY_TYPES)
                .containsAll(
                        types.stream().filter(t -> !t.equals("channel.created")).toList());
        assertThat(MetaEvents.RELAY_TYPES).allMatch(t -> catalog.find(t).isPresent());
        JsonNode text = Arrays.stream(Api.JSON.treeToValue(events, JsonNode[].class))
                .filter(e -> "message.received".equals(e.path("type").asText())
                        && "text".equals(e.path("data").path("kind").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(text.get("data").get("text").get("body").asText()).startsWith("Grüße aus Köln");
        assertThat(text.get("data").get("timestamp").asText()).isEqualTo("2025-11-22T08:26:41.000Z");
    }

    /** A golden status callback for message {@code wamid} with {@code status} (failed: Meta's failed body). */
    static byte[] statusCallback(String wamid, String status) throws IOException {
        String text = "failed".equals(status)
                ? new String(golden("status_failed"), StandardCharsets.UTF_8)
                        .replace("wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjc4QjE1RDlGNTU3QjcwOTdB0004", wamid)
                : new String(golden("status_sent"), StandardCharsets.UTF_8)
                        .replace("wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjc4QjE1RDlGNTU3QjcwOTdB0001", wamid)
                        .replace("\"status\":\"sent\"", "\"status\":\"" + status + "\"");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Issue 15 item 3, Meta's real out-of-order patterns: delivered before sent, read before
     * delivered, failed then delivered. With {@code status_order: monotonic} a status below one
     * already relayed for its message is kept as a superseded delivery naming what superseded it;
     * everything relayed is byte for byte what Meta sent.
     */
    @Test
    void aMonotonicWebhookNeverSendsAStatusBelowOneAlreadyRelayed() throws Exception {
        String[] p = partnerWithChannel("Monotonic", "ch_m", PNID, WABA);
        Api.Response bad = api.call(
                "PUT",
                "/v1/channels/ch_m/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/wa") + "\",\"status_order\":\"sorted\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("status_order");
        Api.Response set = api.call(
                "PUT",
                "/v1/channels/ch_m/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/wa") + "\",\"status_order\":\"monotonic\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("status_order").asText()).isEqualTo("monotonic");
        assertThat(api.get("/v1/channels/ch_m/webhook", p[1])
                        .json()
                        .get("status_order")
                        .asText())
                .isEqualTo("monotonic");

        String[][] arrivals = {
            {"wamid.A", "delivered"},
            {"wamid.A", "sent"},
            {"wamid.B", "read"},
            {"wamid.B", "delivered"},
            {"wamid.C", "failed"},
            {"wamid.C", "delivered"},
            {"wamid.A", "read"}
        };
        List<String> relayed = new ArrayList<>();
        for (String[] a : arrivals) {
            byte[] body = statusCallback(a[0], a[1]);
            HttpResponse<String> r = postMeta(body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            boolean goes = !(a[1].equals("sent") || (a[1].equals("delivered") && !a[0].equals("wamid.A")));
            if (goes) {
                relayed.add(new String(body, StandardCharsets.UTF_8));
            }
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 4);
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == 4);
        assertThat(receiver.received().stream()
                        .map(TestReceiver.Received::bodyText)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(relayed);

        // the late ones are in the log, superseded, saying by what
        Map<String, String> supersededBy = new TreeMap<>();
        for (String type : List.of("message.sent", "message.delivered")) {
            for (JsonNode e : api.get("/v1/events?type=" + type, p[1]).json().get("data")) {
                JsonNode d = deliveries(p[1], e.get("id").asText()).get(0);
                if ("superseded".equals(d.get("status").asText())) {
                    supersededBy.put(
                            e.get("data").get("message_id").asText() + " " + type,
                            d.get("superseded_by").asText());
                    assertThat(d.get("attempts")).isEmpty();
                } else {
                    assertThat(d.get("superseded_by").isNull()).isTrue();
                }
            }
        }
        assertThat(supersededBy)
                .containsExactly(
                        Map.entry("wamid.A message.sent", "delivered"),
                        Map.entry("wamid.B message.delivered", "read"),
                        Map.entry("wamid.C message.delivered", "failed"));
    }

    /** Both options at once: a status held back on an ordered webhook never blocks its conversation. */
    @Test
    void anOrderedMonotonicWebhookSkipsLateStatusesWithoutStallingTheConversation() throws Exception {
        String[] p = partnerWithChannel("Both", "ch_b", PNID, WABA);
        Api.Response set = api.call(
                "PUT",
                "/v1/channels/ch_b/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/wa") + "\",\"ordering\":\"ordered\",\"status_order\":\"monotonic\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("ordering").asText()).isEqualTo("ordered");
        // a PUT without the options keeps them
        assertThat(api.call("PUT", "/v1/channels/ch_b/webhook", p[1], "{\"url\":\"" + receiver.url("/wa") + "\"}")
                        .json()
                        .get("status_order")
                        .asText())
                .isEqualTo("monotonic");
        List<String> relayed = new ArrayList<>();
        for (String[] a : new String[][] {
            {"wamid.X", "delivered"},
            {"wamid.X", "sent"},
            {"wamid.X", "read"},
            {"wamid.X", "delivered"},
            {"wamid.Y", "sent"}
        }) {
            byte[] body = statusCallback(a[0], a[1]);
            assertThat(postMeta(body).statusCode()).isEqualTo(200);
            if (!(a[0].equals("wamid.X")
                    && (a[1].equals("sent") || (a[1].equals("delivered") && relayed.size() > 1)))) {
                relayed.add(new String(body, StandardCharsets.UTF_8));
            }
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == 3);
        assertThat(receiver.received().stream()
                        .map(TestReceiver.Received::bodyText)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(relayed);
    }

    @Test
    void asReceivedIsTheDefaultAndRelaysEveryStatusInTheOrderMetaSentIt() throws Exception {
        String[] p = partnerWithChannel("AsReceived", "ch_r", PNID, WABA);
        webhook(p[1], "ch_r", receiver.url("/wa"));
        assertThat(api.get("/v1/channels/ch_r/webhook", p[1])
                        .json()
                        .get("status_order")
                        .asText())
                .isEqualTo("as_received");
        for (String status : List.of("read", "delivered", "sent")) {
            assertThat(Api.JSON
                            .readTree(
                                    postMeta(statusCallback("wamid.R", status)).body())
                            .get("relayed")
                            .asInt())
                    .isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
    }

    @Test
    void anOrderedNumbersWebhookRelaysEachConversationOneAtATimeInOrder() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        Api.Response set = api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/wa") + "\",\"ordering\":\"ordered\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("ordering").asText()).isEqualTo("ordered");
        // a later PUT that leaves it out keeps it; a wrong value names the field
        assertThat(api.call("PUT", "/v1/channels/ch_1/webhook", p[1], "{\"url\":\"" + receiver.url("/wa") + "\"}")
                        .json()
                        .get("ordering")
                        .asText())
                .isEqualTo("ordered");
        assertThat(api.get("/v1/channels/ch_1/webhook", p[1])
                        .json()
                        .get("ordering")
                        .asText())
                .isEqualTo("ordered");
        Api.Response bad = api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/wa") + "\",\"ordering\":\"fifo\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).contains("ordering");

        // the conversation's first relay fails; its next status waits behind it, then follows it
        receiver.then(TestReceiver.status(500));
        byte[] delivered = golden("status_delivered");
        assertThat(postMeta(delivered).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        byte[] read = new String(delivered, StandardCharsets.UTF_8)
                .replace("\"delivered\"", "\"read\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(postMeta(read).statusCode()).isEqualTo(200);
        String readEvent = api.get("/v1/events?type=message.read", p[1])
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asText();
        JsonNode held = deliveries(p[1], readEvent).get(0);
        assertThat(held.get("held_by").isNull()).as(held.toString()).isFalse();
        assertThat(receiver.received()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        app.dispatcher().wake();
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(receiver.received().stream()
                        .map(TestReceiver.Received::bodyText)
                        .toList())
                .containsExactly(
                        new String(delivered, StandardCharsets.UTF_8),
                        new String(delivered, StandardCharsets.UTF_8),
                        new String(read, StandardCharsets.UTF_8));
    }

    @Test
    void aCallbackReplayedThreeTimesIsRelayedOnce() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        webhook(p[1], "ch_1", receiver.url("/wa"));
        byte[] in = golden("status_delivered");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = postMeta(in);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode j = Api.JSON.readTree(r.body());
            assertThat(j.get("relayed").asInt()).isEqualTo(i == 0 ? 1 : 0);
            assertThat(j.get("duplicates").asInt()).isEqualTo(i == 0 ? 0 : 1);
        }
        // the same message with a new status is news
        byte[] read = new String(golden("status_delivered"), StandardCharsets.UTF_8)
                .replace("\"delivered\"", "\"read\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Api.JSON.readTree(postMeta(read).body()).get("relayed").asInt())
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received().stream()
                        .map(TestReceiver.Received::bodyText)
                        .toList())
                .containsExactlyInAnyOrder(
                        new String(in, StandardCharsets.UTF_8), new String(read, StandardCharsets.UTF_8));
        assertThat(api.get("/v1/events?type=message.delivered", p[1]).json().get("data"))
                .hasSize(1);
    }

    @Test
    void theSameCallbackArrivingFiveTimesAtOnceIsRelayedOnce() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        webhook(p[1], "ch_1", receiver.url("/wa"));
        byte[] in = golden("reaction");
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(pool.submit(() -> postMeta(in)));
        }
        int relayed = 0;
        for (var f : sent) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            relayed += Api.JSON.readTree(r.body()).get("relayed").asInt();
        }
        pool.close();
        assertThat(relayed).isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        assertThat(api.get("/v1/events?type=message.received", p[1]).json().get("data"))
                .hasSize(1);
    }

    @Test
    void aMultiNumberCallbackIsSplitAndNothingOfOnePartnerReachesTheOther() throws Exception {
        String[] a = partnerWithChannel("A", "ch_a", PNID, WABA);
        String[] b = partnerWithChannel("B", "ch_b", "207650463353033", "203391230451409");
        String secretA = webhook(a[1], "ch_a", receiver.url("/a"));
        String secretB = webhook(b[1], "ch_b", receiver.url("/b"));
        HttpResponse<String> r = postMeta(golden("multi_in"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Api.JSON.readTree(r.body()).get("relayed").asInt()).isEqualTo(3);
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        List<TestReceiver.Received> toA =
                receiver.received().stream().filter(x -> x.path().equals("/a")).toList();
        List<TestReceiver.Received> toB =
                receiver.received().stream().filter(x -> x.path().equals("/b")).toList();
        assertThat(toA).hasSize(1);
        assertThat(toA.get(0).body()).isEqualTo(golden("multi_expected_number1"));
        assertThat(toA.get(0).header("x-hub-signature-256"))
                .isEqualTo(hubSignature(secretA, toA.get(0).body()));
        assertThat(toB).hasSize(2);
        assertThat(toB.stream().map(TestReceiver.Received::bodyText).toList())
                .containsExactlyInAnyOrder(
                        new String(golden("multi_expected_number2a"), StandardCharsets.UTF_8),
                        new String(golden("multi_expected_number2b"), StandardCharsets.UTF_8));
        for (TestReceiver.Received x : toB) {
            assertThat(x.header("x-hub-signature-256")).isEqualTo(hubSignature(secretB, x.body()));
            assertThat(x.bodyText()).doesNotContain(PNID).doesNotContain("Nummer eins");
        }
        assertThat(toA.get(0).bodyText()).doesNotContain("207650463353033");
        // each partner's log holds its own relays only
        assertThat(api.get("/v1/events?type=message.received", a[1]).json().get("data"))
                .hasSize(1);
        assertThat(api.get("/v1/events?type=message.received", b[1]).json().get("data"))
                .hasSize(2);
        // one partner cannot see or set the other's number webhook
        assertThat(api.get("/v1/channels/ch_b/webhook", a[1]).status()).isEqualTo(404);
        assertThat(api.call("PUT", "/v1/channels/ch_b/webhook", a[1], "{\"url\":\"" + receiver.url("/x") + "\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void signaturesAreCheckedOnTheRawBytes() throws Exception {
        byte[] in = golden("text");
        HttpResponse<String> missing = postMeta(in, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("X-Hub-Signature-256");
        assertThat(postMeta(in, hubSignature("another-secret", in)).statusCode())
                .isEqualTo(401);
        assertThat(postMeta(in, "sha256=zz").statusCode()).isEqualTo(401);
        // one byte changed after signing
        byte[] tampered = in.clone();
        tampered[tampered.length - 3] = 'x';
        assertThat(postMeta(tampered, hubSignature(APP_SECRET, in)).statusCode())
                .isEqualTo(401);
        assertThat(postMeta(in).statusCode()).isEqualTo(200);
    }

    @Test
    void theVerificationHandshake() {
        Api.Response ok = api.get(
                "/meta/webhook?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1158201444",
                null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.contentType()).startsWith("text/plain");
        assertThat(api.get("/meta/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null)
                        .status())
                .isEqualTo(403);
        assertThat(api.get(
                                "/meta/webhook?hub.mode=unsubscribe&hub.verify_token=" + VERIFY_TOKEN
                                        + "&hub.challenge=1",
                                null)
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/meta/webhook", null).status()).isEqualTo(403);
    }

    @Test
    void callbacksForNumbersNobodyRegisteredAreKeptCountedAndListed() throws Exception {
        byte[] in = golden("image");
        HttpResponse<String> r = postMeta(in);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = Api.JSON.readTree(r.body());
        assertThat(j.get("status").asText()).isEqualTo("unroutable");
        assertThat(j.get("unroutable").asInt()).isEqualTo(1);
        Api.Response list = api.get("/platform/v1/meta/unroutable", OPERATOR);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("data")).hasSize(1);
        assertThat(list.json().get("data").get(0).get("body").asText())
                .isEqualTo(new String(in, StandardCharsets.UTF_8));
        assertThat(api.get("/platform/v1/meta/unroutable", "not-the-operator").status())
                .isEqualTo(401);
        assertThat(api.get("/metrics", null).body())
                .contains("partnerhooks_meta_callbacks_unroutable_total 1.0")
                .contains("partnerhooks_meta_callbacks_total 1.0");
        // once the number is registered, Meta's redelivery goes through
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        webhook(p[1], "ch_1", receiver.url("/wa"));
        assertThat(Api.JSON.readTree(postMeta(in).body()).get("relayed").asInt())
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).body()).isEqualTo(in);
    }

    @Test
    void bodiesUpToThreeMebibytesAreAccepted() throws Exception {
        // a valid callback padded with white space inside the value to exactly 3 MiB
        String base = new String(golden("text"), StandardCharsets.UTF_8);
        int pad = 3 * 1024 * 1024 - base.length();
        String big = base.replace("\"field\":\"messages\"", " ".repeat(pad) + "\"field\":\"messages\"");
        byte[] body = big.getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isEqualTo(3 * 1024 * 1024);
        assertThat(postMeta(body).statusCode()).isEqualTo(200);
        byte[] tooBig = (big + " ").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = postMeta(tooBig);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"field\":\"body\"");
    }

    @Test
    void wabaFieldsBecomePartnerEventsForTheAccountsOwner() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        String[] other = partnerWithChannel("Other", "ch_2", "207650463353033", "203391230451409");
        endpoint(p[1], receiver.url("/events"), "[\"template.*\",\"account.*\",\"phone_number.*\"]");
        endpoint(other[1], receiver.url("/other"), "[\"*\"]");
        String cb = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"time\":1763800600,"
                + "\"changes\":[{\"value\":{\"event\":\"REJECTED\",\"message_template_id\":594425479261596,"
                + "\"message_template_name\":\"order_ready\",\"message_template_language\":\"de\",\"reason\":\"INVALID_FORMAT\"},"
                + "\"field\":\"message_template_status_update\"},"
                + "{\"value\":{\"display_phone_number\":\"4915123456789\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_1K\"},"
                + "\"field\":\"phone_number_quality_update\"},"
                + "{\"value\":{\"event\":\"PARTNER_ADDED\",\"waba_info\":{\"waba_id\":\"" + WABA + "\"}},"
                + "\"field\":\"account_update\"}]}]}";
        HttpResponse<String> r = postMeta(cb.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(receiver.received()).allMatch(x -> x.path().equals("/events"));
        List<String> types = receiver.received().stream()
                .map(x -> {
                    try {
                        return Api.JSON.readTree(x.body()).get("type").asText();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
        assertThat(types)
                .containsExactlyInAnyOrder(
                        "template.status.changed", "phone_number.quality.changed", "account.updated");
        JsonNode tmpl = Api.JSON.readTree(receiver.received().stream()
                .filter(x -> x.bodyText().contains("template.status.changed"))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(tmpl.get("data").get("status").asText()).isEqualTo("REJECTED");
        assertThat(tmpl.get("data").get("template").get("name").asText()).isEqualTo("order_ready");
        assertThat(tmpl.get("subject").get("waba_id").asText()).isEqualTo(WABA);
    }

    /** Issue 14, item 3: Meta redelivers account-level fields as it does messages. */
    @Test
    void aRedeliveredWabaFieldBecomesOnePartnerEvent() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        endpoint(p[1], receiver.url("/events"), "[\"template.*\"]");
        String cb = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"time\":1763800600,"
                + "\"changes\":[{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":594425479261596,"
                + "\"message_template_name\":\"order_ready\",\"message_template_language\":\"de\",\"reason\":\"NONE\"},"
                + "\"field\":\"message_template_status_update\"}]}]}";
        byte[] body = cb.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> first = postMeta(body);
        HttpResponse<String> again = postMeta(body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(Api.JSON.readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);
        assertThat(templateEvents()).isEqualTo(1);
        // the same template changing again is news, not a redelivery
        assertThat(postMeta(cb.replace("APPROVED", "PAUSED").getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(200);
        assertThat(templateEvents()).isEqualTo(2);
        // and another account's identical value is that account's own news
        partnerWithChannel("Other", "ch_2", "207650463353033", "203391230451409");
        assertThat(postMeta(cb.replace(WABA, "203391230451409").getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(200);
        assertThat(templateEvents()).isEqualTo(3);
    }

    private long templateEvents() {
        return app.store()
                .jdbc()
                .query("SELECT COUNT(*) FROM events WHERE type = 'template.status.changed'", rs -> rs.getLong(1))
                .get(0);
    }

    @Test
    void theNumbersWebhookCanBeReadReplacedAndRemoved() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        assertThat(api.get("/v1/channels/ch_1/webhook", p[1]).status()).isEqualTo(404);
        String secret = webhook(p[1], "ch_1", receiver.url("/wa"));
        Api.Response got = api.get("/v1/channels/ch_1/webhook", p[1]);
        assertThat(got.json().get("url").asText()).isEqualTo(receiver.url("/wa"));
        assertThat(got.json().get("headers").get("Authorization").asText()).isEqualTo("********");
        assertThat(got.json().has("secret")).isFalse();
        // replacing keeps the secret and the one endpoint
        String again = webhook(p[1], "ch_1", receiver.url("/wa2"));
        assertThat(again).isEqualTo(secret);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).hasSize(1);
        Api.Response bad = api.call("PUT", "/v1/channels/ch_1/webhook", p[1], "{\"url\":\"ftp://example.com\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
        Api.Response badHeader = api.call(
                "PUT",
                "/v1/channels/ch_1/webhook",
                p[1],
                "{\"url\":\"" + receiver.url("/x") + "\",\"headers\":{\"X-Hub-Signature-256\":\"forged\"}}");
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(badHeader.json().get("errors").get(0).get("field").asText())
                .isEqualTo("headers.X-Hub-Signature-256");
        assertThat(api.call("PUT", "/v1/channels/ch_nope/webhook", p[1], "{\"url\":\"" + receiver.url("/x") + "\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/channels/ch_1/webhook", p[1], null).status())
                .isEqualTo(204);
        assertThat(api.get("/v1/channels/ch_1/webhook", p[1]).status()).isEqualTo(404);
        // with no webhook the message is still logged, with nothing to deliver
        assertThat(postMeta(golden("text")).statusCode()).isEqualTo(200);
        assertThat(api.get("/v1/events?type=message.received", p[1]).json().get("data"))
                .hasSize(1);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aVerifyTokenMakesRegistrationDoMetasHandshake() throws Exception {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", ex -> {
            Map<String, String> q = new HashMap<>();
            for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
                String[] parts = kv.split("=", 2);
                q.put(
                        URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
            boolean ok = "subscribe".equals(q.get("hub.mode")) && "partner-token".equals(q.get("hub.verify_token"));
            byte[] out = (ok ? q.get("hub.challenge") : "nope").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 403, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        echo.start();
        try {
            String url = "http://127.0.0.1:" + echo.getAddress().getPort() + "/hook";
            Api.Response good = api.call(
                    "PUT",
                    "/v1/channels/ch_1/webhook",
                    p[1],
                    "{\"url\":\"" + url + "\",\"verify_token\":\"partner-token\"}");
            assertThat(good.status()).as(good.body()).isEqualTo(200);
            Api.Response wrong = api.call(
                    "PUT",
                    "/v1/channels/ch_1/webhook",
                    p[1],
                    "{\"url\":\"" + url + "\",\"verify_token\":\"another-token\"}");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().get("errors").findValuesAsText("field")).contains("verify_token", "url");
            assertThat(wrong.body()).contains("403").contains("nope");
            // a receiver that answers a fixed text fails too
            Api.Response fixed = api.call(
                    "PUT",
                    "/v1/channels/ch_1/webhook",
                    p[1],
                    "{\"url\":\"" + receiver.url("/wa") + "\",\"verify_token\":\"partner-token\"}");
            assertThat(fixed.status()).isEqualTo(400);
            assertThat(api.get("/v1/channels/ch_1/webhook", p[1])
                            .json()
                            .get("url")
                            .asText())
                    .isEqualTo(url);
        } finally {
            echo.stop(0);
        }
    }

    @Test
    void theChannelListShowsEachNumbersMessagingWebhook() {
        String[] p = partnerWithChannel("Bakery", "ch_1", PNID, WABA);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_2",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"client_id\":\"cl_ch_1\",\"phone_number\":\"+4915100000002\"}")
                        .status())
                .isEqualTo(200);
        JsonNode before = api.get("/v1/channels", p[1]).json().get("data");
        assertThat(before)
                .hasSize(2)
                .allSatisfy(
                        ch -> assertThat(ch.get("messaging_webhook").isNull()).isTrue());

        webhook(p[1], "ch_1", receiver.url("/wa"));
        String endpointId = api.get("/v1/channels/ch_1/webhook", p[1])
                .json()
                .get("endpoint_id")
                .asText();
        JsonNode list = api.get("/v1/channels", p[1]).json().get("data");
        JsonNode one = null;
        for (JsonNode ch : list) {
            if (ch.get("id").asText().equals("ch_1")) {
                one = ch.get("messaging_webhook");
            } else {
                assertThat(ch.get("messaging_webhook").isNull())
                        .as(ch.toString())
                        .isTrue();
            }
        }
        assertThat(one).isNotNull();
        assertThat(one.get("url").asText()).isEqualTo(receiver.url("/wa"));
        assertThat(one.get("endpoint_id").asText()).isEqualTo(endpointId);
        assertThat(one.get("format").asText()).isEqualTo("cloud_api");
        assertThat(one.has("secret")).isFalse();
        assertThat(one.toString()).doesNotContain("Basic");
        assertThat(api.get("/v1/channels/ch_1", p[1]).json().get("messaging_webhook"))
                .isEqualTo(one);

        assertThat(api.call("DELETE", "/v1/channels/ch_1/webhook", p[1], null).status())
                .isEqualTo(204);
        assertThat(api.get("/v1/channels/ch_1", p[1])
                        .json()
                        .get("messaging_webhook")
                        .isNull())
                .isTrue();
    }
}
