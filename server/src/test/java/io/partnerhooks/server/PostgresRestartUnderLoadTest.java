package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.storage.testing.TestKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped for 10 s and started again while events are published and delivered and Meta
 * callbacks arrive: every 202 is delivered, every 200 Meta got is stored, the outage answers 503
 * problems with Retry-After (never a 2xx for something not committed), and delivery resumes within
 * seconds of the database returning.
 */
class PostgresRestartUnderLoadTest {
    static final String OPERATOR = "op";
    static final String APP_SECRET = "restart-meta-secret";

    @TempDir
    Path pgData;

    @TempDir
    Path dataDir;

    @Test
    void aDatabaseRestartUnderLoadLosesNothingAndAcknowledgesNothingUnstored() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(port);
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE restart");
        }
        String url = pg.getJdbcUrl("postgres", "restart");
        Config config = Config.defaults(dataDir)
                .withPort(0)
                .withDatabaseUrl(url)
                .withOperatorToken(OPERATOR)
                .withAllowedTargets("127.0.0.0/8")
                .withDeliveryTimeout(Duration.ofSeconds(2))
                .withMasterKey(TestKeys.MASTER_KEY_BASE64)
                .withMeta("verify", APP_SECRET);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        try (TestReceiver receiver = new TestReceiver();
                App app = App.start(config, Clock.systemUTC(), new NoJitterRandom(3))) {
            Api api = new Api(app.port());
            var partner = api.post("/platform/v1/partners", OPERATOR, "{\"name\":\"P\"}")
                    .json();
            String pid = partner.get("id").asText();
            String key = partner.get("api_key").asText();
            assertThat(api.post(
                                    "/v1/endpoints",
                                    key,
                                    "{\"url\":\"" + receiver.url("/x") + "\",\"event_types\":[\"*\"]}")
                            .status())
                    .isEqualTo(201);

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Set<String> metaStoredClaims = ConcurrentHashMap.newKeySet();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            AtomicLong badRefusals = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong seq = new AtomicLong();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                load.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        String body = "{\"type\":\"package.updated\",\"partner_id\":\"" + pid
                                + "\",\"data\":{\"package_id\":\"pk_" + seq.incrementAndGet() + "\"}}";
                        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
                        answers.merge("publish " + r.status(), 1, Integer::sum);
                        if (r.status() == 202) {
                            accepted.add(r.json().get("id").asText());
                        } else if (r.status() != 503
                                || r.header("Retry-After") == null
                                || !r.contentType().startsWith("application/problem+json")) {
                            badRefusals.incrementAndGet();
                        }
                        pause(5);
                    }
                }));
            }
            load.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    String marker = "wamid.restart" + seq.incrementAndGet();
                    byte[] body =
                            ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"880000001\",\"changes\":[{"
                                            + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
                                            + "\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"990000001\"},\"messages\":[{"
                                            + "\"from\":\"491700000001\",\"id\":\"" + marker
                                            + "\",\"timestamp\":\"1764000000\",\"type\":\"text\","
                                            + "\"text\":{\"body\":\"hi\"}}]}}]}]}")
                                    .getBytes(StandardCharsets.UTF_8);
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/meta/webhook"))
                                        .header("Content-Type", "application/json")
                                        .header("X-Hub-Signature-256", MetaWebhookTest.hubSignature(APP_SECRET, body))
                                        .timeout(Duration.ofSeconds(10))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        answers.merge("meta " + r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 200) {
                            metaStoredClaims.add(marker);
                        } else if (r.statusCode() < 500) {
                            badRefusals.incrementAndGet();
                        }
                    } catch (Exception e) {
                        answers.merge("meta " + e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                    pause(20);
                }
            }));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> accepted.size() >= 30 && receiver.received().size() >= 10);
            pg.close();
            long downAt = System.nanoTime();
            int acceptedAtStop = accepted.size();
            pause(10_000);
            pg = start(port);
            long upAt = System.nanoTime();
            int acceptedWhileDown = accepted.size() - acceptedAtStop;
            int receivedAtRestart = receiver.received().size();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> receiver.received().size() > receivedAtRestart);
            long firstDeliveryMs = (System.nanoTime() - upAt) / 1_000_000;
            pause(3_000);
            stop.set(true);
            for (Thread t : load) {
                t.join(20_000);
            }

            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Set<String> got = new HashSet<>();
                        receiver.received().forEach(r -> got.add(r.header("webhook-id")));
                        return got.containsAll(accepted);
                    });
            long allDeliveredMs = (System.nanoTime() - upAt) / 1_000_000;

            Set<String> stored = new HashSet<>();
            try (Connection c = DriverManager.getConnection(url);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT body FROM meta_callbacks")) {
                while (rs.next()) {
                    Matcher m = Pattern.compile("wamid\\.restart\\d+").matcher(rs.getString(1));
                    while (m.find()) {
                        stored.add(m.group());
                    }
                }
            }
            System.out.printf(
                    "[pg-restart] down %d ms; answers %s; %d events acknowledged (%d while down, in flight"
                            + " when it stopped); first delivery %d ms after the restart, all %d delivered %d ms after it;"
                            + " %d Meta callbacks acknowledged, all stored%n",
                    (upAt - downAt) / 1_000_000,
                    new TreeMap<>(answers),
                    accepted.size(),
                    acceptedWhileDown,
                    firstDeliveryMs,
                    accepted.size(),
                    allDeliveredMs,
                    metaStoredClaims.size());
            assertThat(badRefusals.get())
                    .as("refusals that were not 503 problems with Retry-After: " + answers)
                    .isZero();
            assertThat(answers).as("the outage was seen").containsKey("publish 503");
            assertThat(stored).as("every callback Meta got a 200 for is stored").containsAll(metaStoredClaims);
            assertThat(answers.keySet()).as("Meta got 5xx during the outage").anyMatch(k -> k.startsWith("meta 5"));
        } finally {
            pg.close();
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private EmbeddedPostgres start(int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start();
    }
}
