package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.PortalLinks;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.UiBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Portal links (issue 17): one-time, hashed, expiring sign-ins to the dashboard, read-only
 * sessions, and the BSP's branding on the pages. Real server, real database, real HTTP.
 */
abstract class PortalLinkTest extends AppTestBase {
    static final String TITLE = "Acme <BSP> & Co";
    static final String ACCENT = "#ff6600";

    @Override
    Config config() {
        return super.config().withUi(new Ui(null, TITLE, ACCENT));
    }

    private Api.Response createLink(String partnerId, String body) {
        return api.post("/platform/v1/partners/" + partnerId + "/portal-links", OPERATOR, body);
    }

    /** The link's path on this server (the url's origin is PUBLIC_URL, here the localhost default). */
    private String linkPath(Api.Response created) {
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        URI url = URI.create(created.json().get("url").asText());
        assertThat(url.getScheme() + "://" + url.getAuthority()).isEqualTo("http://localhost:" + app.port());
        assertThat(url.getPath()).matches("/ui/portal/[A-Za-z0-9_-]{43}");
        return url.getPath();
    }

    /** Opens the link's page, then presses its button; the answer to the button. */
    private HttpResponse<String> open(UiBrowser b, String path) throws Exception {
        HttpResponse<String> page = b.get(path);
        if (page.statusCode() != 200) {
            return page;
        }
        return b.post(path, Map.of("csrf", b.csrf(page.body())));
    }

    @Test
    void aLinkSignsThePartnerInOnceAndOnlyItsHashIsStored() throws Exception {
        String[] p = partner("acme");
        endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        Api.Response created = createLink(p[0], "{\"expires_in_seconds\":600}");
        String path = linkPath(created);
        assertThat(Instant.parse(created.json().get("expires_at").asText()))
                .isEqualTo(clock.instant().plusSeconds(600));
        String token = path.substring(path.lastIndexOf('/') + 1);
        var stored = app.store().jdbc().query("SELECT token_hash FROM portal_links", rs -> rs.getString(1));
        assertThat(stored).containsExactly(Tokens.hash(token));

        UiBrowser b = new UiBrowser(app.port());
        // opening the page alone uses nothing up (link previews fetch links)
        assertThat(b.get(path).statusCode()).isEqualTo(200);
        HttpResponse<String> signedIn = open(b, path);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("location")).contains("/ui/endpoints");
        HttpResponse<String> home = b.get("/ui/endpoints");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body())
                .contains("<span class=\"muted\" id=\"who\">acme</span>")
                .contains(receiver.url("/a"));
        // a partner session from a link can change things
        String csrf = b.csrf(home.body());
        assertThat(b.post("/ui/endpoints", Map.of("csrf", csrf, "url", receiver.url("/b"), "event_types", "*"))
                        .statusCode())
                .isEqualTo(303);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).hasSize(2);

        UiBrowser again = new UiBrowser(app.port());
        HttpResponse<String> used = open(again, path);
        assertThat(used.statusCode()).isEqualTo(410);
        assertThat(used.body())
                .contains("already been used")
                .doesNotContain("Exception")
                .doesNotContain("at io.");
        assertThat(again.cookies).doesNotContainKey("ph_session");
        // the page open in two browsers, both buttons pressed: only the first signs in
        UiBrowser one = new UiBrowser(app.port());
        UiBrowser two = new UiBrowser(app.port());
        String second = linkPath(createLink(p[0], ""));
        String formOne = one.get(second).body();
        String formTwo = two.get(second).body();
        assertThat(one.post(second, Map.of("csrf", one.csrf(formOne))).statusCode())
                .isEqualTo(303);
        assertThat(two.post(second, Map.of("csrf", two.csrf(formTwo))).statusCode())
                .isEqualTo(410);
        assertThat(two.cookies).doesNotContainKey("ph_session");
    }

    @Test
    void anExpiredOrUnknownLinkShowsAPageSayingSo() throws Exception {
        String[] p = partner("acme");
        String path = linkPath(createLink(p[0], "{\"expires_in_seconds\":60}"));
        clock.advance(Duration.ofSeconds(61));
        UiBrowser b = new UiBrowser(app.port());
        HttpResponse<String> expired = b.get(path);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(expired.body()).contains("has expired");

        // a page opened in time whose button is pressed too late
        String late = linkPath(createLink(p[0], "{\"expires_in_seconds\":60}"));
        String form = b.get(late).body();
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> pressedLate = b.post(late, Map.of("csrf", b.csrf(form)));
        assertThat(pressedLate.statusCode()).isEqualTo(410);
        assertThat(pressedLate.body()).contains("has expired");
        assertThat(b.cookies).doesNotContainKey("ph_session");

        for (String junk : new String[] {"/ui/portal/" + "A".repeat(43), "/ui/portal/short", "/ui/portal/%3Cb%3E"}) {
            HttpResponse<String> unknown = b.get(junk);
            assertThat(unknown.statusCode()).as(junk).isEqualTo(404);
            assertThat(unknown.body()).contains("not valid").doesNotContain("<b>");
        }
        // the button without its cookie's token is refused (no sign-in from another site's form)
        String fresh = linkPath(createLink(p[0], null));
        HttpResponse<String> forged = new UiBrowser(app.port()).post(fresh, Map.of("csrf", "guess"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(open(new UiBrowser(app.port()), fresh).statusCode())
                .as("the forged press did not use the link")
                .isEqualTo(303);
    }

    @Test
    void aReadOnlySessionSeesEverythingAndChangesNothing() throws Exception {
        String[] p = partner("acme");
        JsonNode ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        String evt = publish(p[0], ANY_TYPE, "{}");
        UiBrowser b = new UiBrowser(app.port());
        assertThat(open(b, linkPath(createLink(p[0], "{\"read_only\":true}"))).statusCode())
                .isEqualTo(303);
        String epPage = "/ui/endpoints/" + ep.get("id").asText();
        for (String page :
                new String[] {"/ui/endpoints", epPage, "/ui/events", "/ui/events/" + evt, "/ui/audit", "/ui/catalog"}) {
            HttpResponse<String> r = b.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page).contains("read-only");
        }
        String csrf = b.csrf(b.get(epPage).body());
        HttpResponse<String> create =
                b.post("/ui/endpoints", Map.of("csrf", csrf, "url", receiver.url("/b"), "event_types", "*"));
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("read-only").contains("<title>Read-only");
        HttpResponse<String> rotate = b.post(epPage + "/secret/rotate", Map.of("csrf", csrf));
        assertThat(rotate.statusCode()).isEqualTo(403);
        HttpResponse<String> reveal = b.post(epPage + "/secret", Map.of("csrf", csrf));
        assertThat(reveal.statusCode()).isEqualTo(403);
        assertThat(reveal.body()).doesNotContain("whsec_");
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).hasSize(1);
        assertThat(api.get("/v1/audit-log?limit=100", p[1]).json().get("data").toString())
                .doesNotContain("endpoint.secret_rotate");
        // signing out still works
        assertThat(b.post("/ui/logout", Map.of("csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(b.get("/ui/endpoints").headers().firstValue("location")).contains("/ui/login");
    }

    @Test
    void racingRedemptionsOfOneLinkSignInOnce() throws Exception {
        String[] p = partner("acme");
        var links = new PortalLinks(app.store().portalLinks(), app.store().partners(), clock, new SecureRandom());
        String token = links.create(new PartnerId(p[0]), 600, true).token();
        int racers = 8;
        var pool = Executors.newFixedThreadPool(racers);
        var go = new CountDownLatch(1);
        try {
            var futures = new ArrayList<Future<PortalLink.Redemption>>();
            for (int i = 0; i < racers; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return links.redeem(token);
                }));
            }
            go.countDown();
            int opened = 0;
            for (var f : futures) {
                var r = f.get();
                if (r.link() != null) {
                    opened++;
                    assertThat(r.link().partner().value()).isEqualTo(p[0]);
                    assertThat(r.link().readOnly()).isTrue();
                } else {
                    assertThat(r.refusal()).isEqualTo(PortalLink.Refusal.USED);
                }
            }
            assertThat(opened).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputIsA400NamingTheFieldAndAnUnknownPartnerA404() {
        String[] p = partner("acme");
        for (String body : new String[] {
            "{\"expires_in_seconds\":59}",
            "{\"expires_in_seconds\":86401}",
            "{\"expires_in_seconds\":\"600\"}",
            "{\"expires_in_seconds\":1.5}"
        }) {
            Api.Response r = createLink(p[0], body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).as(body).contains("expires_in_seconds");
        }
        Api.Response ro = createLink(p[0], "{\"read_only\":\"yes\"}");
        assertThat(ro.status()).isEqualTo(400);
        assertThat(ro.body()).contains("read_only");
        Api.Response extra = createLink(p[0], "{\"partner\":\"x\"}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.body()).contains("partner");
        assertThat(createLink(p[0], "[]").status()).isEqualTo(400);
        assertThat(createLink(p[0], "{\"expires_in_seconds\":60}").status()).isEqualTo(201);
        assertThat(createLink(p[0], "{\"expires_in_seconds\":86400}").status()).isEqualTo(201);

        for (String other : new String[] {"ptn_00000000000000000000000000", "nope"}) {
            Api.Response missing = createLink(other, "");
            assertThat(missing.status()).as(other).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.post("/platform/v1/partners/" + p[0] + "/portal-links", p[1], "")
                        .status())
                .as("a partner key cannot make links")
                .isEqualTo(401);
        assertThat(app.store().jdbc().query("SELECT COUNT(*) FROM portal_links", rs -> rs.getInt(1)))
                .containsExactly(2);
    }

    @Test
    void creatingALinkIsAuditedWithoutItsToken() {
        String[] p = partner("acme");
        Api.Response created = createLink(p[0], "{\"read_only\":true,\"expires_in_seconds\":120}");
        String url = created.json().get("url").asText();
        String token = url.substring(url.lastIndexOf('/') + 1);
        JsonNode log = api.get("/platform/v1/audit-log?action=portal_link.create", OPERATOR)
                .json()
                .get("data");
        assertThat(log).hasSize(1);
        JsonNode entry = log.get(0);
        assertThat(entry.toString())
                .contains(p[0])
                .contains("\"read_only\":true")
                .doesNotContain(token);
        assertThat(api.get("/v1/audit-log?action=portal_link.create", p[1])
                        .json()
                        .get("data"))
                .hasSize(1);
        var rows = app.store()
                .jdbc()
                .query(
                        "SELECT before_state, after_state, target_id FROM audit_log WHERE action = ?",
                        rs -> rs.getString(1) + rs.getString(2) + rs.getString(3),
                        "portal_link.create");
        assertThat(String.join("", rows)).doesNotContain(token);
    }

    @Test
    void theDashboardWearsTheConfiguredTitleAndAccent() throws Exception {
        String[] p = partner("acme");
        UiBrowser b = new UiBrowser(app.port());
        String login = b.get("/ui/login").body();
        assertThat(login)
                .contains("<title>Sign in · Acme &lt;BSP&gt; &amp; Co</title>")
                .contains("<strong id=\"brand\">Acme &lt;BSP&gt; &amp; Co</strong>")
                .contains("solid #ff6600")
                .doesNotContain("Acme <BSP>")
                .doesNotContain("<strong id=\"brand\">Partnerhooks");
        b.signIn(p[1]);
        String home = b.get("/ui/endpoints").body();
        assertThat(home)
                .contains("<title>Endpoints · Acme &lt;BSP&gt; &amp; Co</title>")
                .contains("color:#ff6600");
    }

    @Test
    void theBrandingAndPublicUrlSettingsAreCheckedStrictly() {
        for (String bad : new String[] {
            "red;}body{display:none",
            "#ff66001",
            "#ggg",
            "url(x)",
            "expression(alert(1))",
            "#fff}",
            "rgb(1,2,3)",
            "notacolour"
        }) {
            assertThatThrownBy(() -> new Ui(null, null, bad))
                    .as(bad)
                    .isInstanceOf(Config.InvalidConfigException.class)
                    .hasMessageContaining("UI_ACCENT");
        }
        assertThat(new Ui(null, null, "#ABC").accent()).isEqualTo("#abc");
        assertThat(new Ui(null, null, " Navy ").accent()).isEqualTo("navy");
        assertThat(new Ui(null, "  ", null).title()).isEqualTo("Partnerhooks");
        assertThatThrownBy(() -> new Ui(null, "x".repeat(81), null)).hasMessageContaining("UI_TITLE");
        for (String bad : new String[] {
            "ftp://h", "https://h/?a=b", "hooks.example.com", "https://u:p@h", "https://h/#x", "https://"
        }) {
            assertThatThrownBy(() -> new Ui(bad, null, null)).as(bad).hasMessageContaining("PUBLIC_URL");
        }
        assertThat(new Ui("https://hooks.example.com/portal/", null, null).publicUrl())
                .isEqualTo("https://hooks.example.com/portal");
    }

    @Test
    void linksAreMadeWithThePublicUrl() {
        app.close();
        app = startApp(config().withUi(new Ui("https://hooks.example.com", TITLE, ACCENT)));
        api = new Api(app.port());
        String[] p = partner("acme");
        Api.Response created = createLink(p[0], "");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("url").asText())
                .matches("https://hooks\\.example\\.com/ui/portal/[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(created.json().get("expires_at").asText()))
                .isEqualTo(clock.instant().plusSeconds(600));
    }
}
