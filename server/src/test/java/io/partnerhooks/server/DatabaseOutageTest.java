package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.MutableClock;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.storage.testing.TestKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops for a while (a real server, stopped and started again on the same data): the
 * API answers 503 with Retry-After instead of a 202 it could not stand behind, and delivery resumes
 * by itself when the database is back.
 */
class DatabaseOutageTest {
    static final String OPERATOR = "op";

    @TempDir
    Path pgData;

    @TempDir
    Path dataDir;

    @Test
    void publishAnswers503WhileTheDatabaseIsDownAndDeliveryResumesAfterwards() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(port);
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE outage");
        }
        String url = pg.getJdbcUrl("postgres", "outage");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
        Config config = Config.defaults(dataDir)
                .withPort(0)
                .withDatabaseUrl(url)
                .withOperatorToken(OPERATOR)
                .withAllowedTargets("127.0.0.0/8")
                .withDeliveryTimeout(Duration.ofSeconds(2))
                .withMasterKey(TestKeys.MASTER_KEY_BASE64);
        try (TestReceiver receiver = new TestReceiver();
                App app = App.start(config, clock, new NoJitterRandom(3))) {
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
            String body =
                    "{\"type\":\"package.updated\",\"partner_id\":\"" + pid + "\",\"data\":{\"package_id\":\"pk_1\"}}";
            assertThat(api.post("/platform/v1/events", OPERATOR, body).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.received().size() == 1);

            pg.close();
            Api.Response down = api.post("/platform/v1/events", OPERATOR, body);
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            assertThat(down.contentType()).startsWith("application/problem+json");
            assertThat(down.header("Retry-After")).isEqualTo("5");
            assertThat(api.get("/readyz", null).status()).isEqualTo(503);

            pg = start(port);
            EmbeddedPostgres restarted = pg;
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/readyz", null).status() == 200);
            assertThat(api.post("/platform/v1/events", OPERATOR, body).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.received().size() == 2);
            // the refused publish left nothing behind
            assertThat(api.get("/v1/events", key).json().get("data")).hasSize(2);
            assertThat(restarted).isNotNull();
        } finally {
            pg.close();
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
