package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.MutableClock;
import io.partnerhooks.server.support.NoJitterRandom;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.storage.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real app on a real database for each test; subclasses choose the database. */
public abstract class AppTestBase {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final String OPERATOR = "operator-token-for-tests";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    protected MutableClock clock;
    protected App app;
    protected Api api;
    protected TestReceiver receiver;

    /** The DATABASE_URL for this run; empty means SQLite in the data directory. */
    protected abstract String databaseUrl();

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(T0);
        receiver = new TestReceiver();
        app = startApp(config());
        api = new Api(app.port());
    }

    Config config() {
        return Config.defaults(dataDir)
                .withPort(0)
                .withDatabaseUrl(databaseUrl())
                .withOperatorToken(OPERATOR)
                .withAllowedTargets("127.0.0.0/8")
                .withDeliveryTimeout(Duration.ofSeconds(2))
                .withMasterKey(TestKeys.MASTER_KEY_BASE64);
    }

    App startApp(Config config) {
        App started = App.start(config, clock, new NoJitterRandom(7));
        // operational events are swept when a test says so (OperationalEventsTest), never by the
        // timer: a tick could otherwise add an endpoint.* delivery to another test's receiver
        started.stopAnnouncementTicks();
        return started;
    }

    /**
     * Whatever a test made the product send, from any source, must match the catalog's schema for
     * its type: partners validate against the schemas we publish.
     */
    @AfterEach
    void everyDeliveredEventMatchesItsSchema() throws Exception {
        var catalog = EventCatalog.load();
        for (var r : receiver.received()) {
            JsonNode body = Api.JSON.readTree(r.body());
            String type = body.path("type").asText();
            if (catalog.find(type).isPresent()) {
                assertThat(catalog.validate(type, body.get("data")))
                        .as(type + ": " + body.get("data"))
                        .isEmpty();
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    /** Creates a partner and returns {id, api_key}. */
    protected String[] partner(String name) {
        Api.Response r = api.post("/platform/v1/partners", OPERATOR, "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new String[] {
            r.json().get("id").asText(), r.json().get("api_key").asText()
        };
    }

    protected JsonNode endpoint(String key, String url, String types) {
        Api.Response r = api.post("/v1/endpoints", key, "{\"url\":\"" + url + "\",\"event_types\":" + types + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** A neutral catalog type for tests that do not care which type they publish. */
    protected static final String ANY_TYPE = "package.updated";

    /**
     * Publishes a catalog type. {@code data} holds the fields a test cares about; the rest comes from
     * the catalog's example, so the event passes schema validation like a real platform's would.
     */
    protected String publish(String partnerId, String type, String data) {
        String body = "{\"type\":\"" + type + "\",\"partner_id\":\"" + partnerId
                + "\",\"subject\":{\"workspace_id\":\"ws_12345\"},\"data\":" + validData(type, data) + "}";
        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    static String validData(String type, String data) {
        try {
            var example = (ObjectNode) Api.JSON.readTree(EventCatalog.load()
                    .find(type)
                    .orElseThrow(() -> new AssertionError("not a catalog type: " + type))
                    .exampleJson());
            Api.JSON.readTree(data).fields().forEachRemaining(f -> example.set(f.getKey(), f.getValue()));
            return Api.JSON.writeValueAsString(example);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected JsonNode deliveries(String key, String eventId) {
        Api.Response r = api.get("/v1/events/" + eventId + "/deliveries", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }
}
