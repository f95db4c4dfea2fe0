package io.partnerhooks.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.usecase.CreatePartner;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.storage.Database;
import io.partnerhooks.storage.JdbcStore;
import io.partnerhooks.storage.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route seam without the App: one group on a bare Javalin, with the real API-key check over a
 * SQLite store. The group declares its access; the seam applies it, whatever else is registered.
 */
class RouteGroupTest {
    @TempDir
    Path dir;

    private JdbcStore store;
    private Javalin web;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void open() {
        store = Database.open("", dir, TestKeys.box());
    }

    @AfterEach
    void close() {
        if (web != null) {
            web.stop();
        }
        store.close();
    }

    private String start(Auth auth, List<RouteGroup> groups) {
        web = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.jetty.port = 0;
                    Problems.register(cfg.routes, path -> Set.of(), null);
                    Routes.install(cfg.routes, auth, groups);
                })
                .start();
        return "http://localhost:" + web.port();
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPartnerGroupAnswers401WithoutAKeyAnd200WithOne() throws Exception {
        Clock clock = Clock.systemUTC();
        Random random = new Random(20);
        IdGenerator ids = new IdGenerator(clock, random);
        ManageApiKeys keys = new ManageApiKeys(store.partners(), ids, clock, random);
        String key = new CreatePartner(store.partners(), ids, clock, random)
                .create("Acme")
                .apiKey();
        String base = start(new Auth(keys, null), List.of(new EventTypeRoutes(EventCatalog.load())));

        HttpResponse<String> none = get(base + "/v1/event-types", null);
        assertEquals(401, none.statusCode());
        assertEquals(
                Problems.CONTENT_TYPE,
                none.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(none.body().contains("\"field\":\"Authorization\""), none.body());

        assertEquals(401, get(base + "/v1/event-types", "phk_not_a_key").statusCode());
        // the guard covers the whole space: an unknown path tells a caller without a key nothing either
        assertEquals(401, get(base + "/v1/no-such-route", null).statusCode());

        HttpResponse<String> ok = get(base + "/v1/event-types", key);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"data\""), ok.body());
    }

    @Test
    void anOpenGroupNeedsNoAuthAndLeavesThePartnerSpaceUnguarded() throws Exception {
        RouteGroup ping = r -> r.open().get("/ping", ctx -> ctx.result("pong"));
        String base = start(null, List.of(ping));
        assertEquals("pong", get(base + "/ping", null).body());
        assertEquals(404, get(base + "/v1/event-types", null).statusCode());
    }

    @Test
    void aRouteOutsideItsAccessSpaceIsRefusedAtRegistration() {
        RouteGroup misplaced = r -> r.open().get("/v1/secrets", ctx -> ctx.result("oops"));
        RouteGroup stray = r -> r.partner().get("/ping", ctx -> ctx.result("pong"));
        int[] refused = {0};
        for (RouteGroup g : List.of(misplaced, stray)) {
            Javalin.create(cfg -> {
                assertThrows(IllegalStateException.class, () -> Routes.install(cfg.routes, null, List.of(g)));
                refused[0]++;
            });
        }
        assertEquals(2, refused[0]);
    }
}
