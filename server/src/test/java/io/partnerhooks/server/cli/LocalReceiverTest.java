package io.partnerhooks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import io.partnerhooks.core.delivery.formats.TimelinesAiFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code partnerhooks listen}: each signature scheme our formats use is checked with the secret,
 * a valid delivery is printed with its type and answered 200, a forged one is printed as refused
 * and answered 401. (The end-to-end case, a real server delivering to it, is in ListenEndToEndTest.)
 */
class LocalReceiverTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    final HttpClient http = HttpClient.newHttpClient();

    int post(int port, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String hubSignature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everySchemeIsVerifiedAndForgeriesAreRefused() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (LocalReceiver r = new LocalReceiver("127.0.0.1", 0, SECRET, out, Clock.fixed(NOW, ZoneOffset.UTC))) {
            String event =
                    "{\"id\":\"evt_1\",\"type\":\"package.updated\",\"subject\":{\"workspace_id\":\"ws_1\"},\"data\":{}}";
            String ts = Long.toString(NOW.getEpochSecond());
            String sig = new Webhook(SECRET).sign("evt_1", NOW.getEpochSecond(), event);
            assertThat(post(r.port(), event, "webhook-id", "evt_1", "webhook-timestamp", ts, "webhook-signature", sig))
                    .isEqualTo(200);
            assertThat(post(
                            r.port(),
                            event.replace("ws_1", "ws_2"),
                            "webhook-id",
                            "evt_1",
                            "webhook-timestamp",
                            ts,
                            "webhook-signature",
                            sig))
                    .isEqualTo(401);

            String meta =
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\"}]}]}";
            assertThat(post(r.port(), meta, "x-hub-signature-256", hubSignature(meta)))
                    .isEqualTo(200);
            assertThat(post(r.port(), meta, "x-hub-signature-256", "sha256=00")).isEqualTo(401);

            String tl = "{\"event_type\":\"quota:exceeded\"}";
            assertThat(post(r.port(), tl, "x-tl-signature", TimelinesAiFormat.jwt("pt_1", SECRET, NOW)))
                    .isEqualTo(200);
            assertThat(post(
                            r.port(),
                            tl,
                            "x-tl-signature",
                            TimelinesAiFormat.jwt("pt_1", SECRET, NOW.minusSeconds(3600))))
                    .as("expired JWT")
                    .isEqualTo(401);
            assertThat(post(r.port(), tl)).as("unsigned while a secret is set").isEqualTo(401);

            assertThat(r.verified.get()).isEqualTo(3);
            assertThat(r.refused.get()).isEqualTo(4);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("✓ standard-webhooks  /hooks  package.updated  {\"workspace_id\":\"ws_1\"}  evt_1")
                .contains("✓ x-hub-signature-256  /hooks  whatsapp_business_account messages")
                .contains("✓ x-tl-signature  /hooks  quota:exceeded")
                .contains("✗ standard-webhooks refused")
                .contains("✗ x-tl-signature refused (the JWT is outside its nbf/exp window)")
                .contains("✗ unsigned refused (no signature header)");
    }

    @Test
    void withoutASecretDeliveriesAreShownNotVerified() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (LocalReceiver r = new LocalReceiver(
                "127.0.0.1", 0, null, new PrintStream(buf, true, StandardCharsets.UTF_8), Clock.systemUTC())) {
            assertThat(post(r.port(), "{\"type\":\"package.updated\"}", "webhook-signature", "v1,xyz"))
                    .isEqualTo(200);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .contains("(not verified: no --secret)")
                .contains("package.updated");
    }

    @Test
    void theDemosFailingReceiverAnswers500UntilItsTimeThenVerifiesWithTheSecretItLearnt() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (LocalReceiver r = new LocalReceiver("127.0.0.1", 0, null, out, clock)) {
            r.failUntil(NOW.plusSeconds(45));
            r.verifyWith(SECRET);
            String event = "{\"id\":\"evt_1\",\"type\":\"package.updated\",\"data\":{}}";
            String sig = new Webhook(SECRET).sign("evt_1", NOW.getEpochSecond(), event);
            String[] headers = {
                "webhook-id",
                "evt_1",
                "webhook-timestamp",
                Long.toString(NOW.getEpochSecond()),
                "webhook-signature",
                sig
            };
            assertThat(post(r.port(), event, headers)).isEqualTo(500);
            now.set(NOW.plusSeconds(45));
            assertThat(post(r.port(), event, headers)).isEqualTo(200);
            assertThat(post(r.port(), event.replace("evt_1\",", "evt_1\", "), headers))
                    .as("verified with the secret learnt")
                    .isEqualTo(401);
            assertThat(r.received.get()).isEqualTo(3);
            assertThat(r.verified.get()).isEqualTo(1);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .contains("✗ answered 500 (down until ")
                .contains("✓ standard-webhooks");
    }
}
