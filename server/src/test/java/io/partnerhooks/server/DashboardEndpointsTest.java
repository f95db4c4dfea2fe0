package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.UiBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's endpoint management (edit, enable/disable, delete) and the event page's account
 * of a pending delivery, over plain HTTP against the real server.
 */
class DashboardEndpointsTest extends AppTestBase {
    @Override
    protected String databaseUrl() {
        return "";
    }

    private UiBrowser signedIn(String key) throws Exception {
        UiBrowser b = new UiBrowser(app.port());
        b.signIn(key);
        return b;
    }

    private JsonNode get(String key, String ep) {
        return api.get("/v1/endpoints/" + ep, key).json();
    }

    @Test
    void theEditFormSavesEveryFieldTheApiHas() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        UiBrowser b = signedIn(p[1]);
        String form = b.get("/ui/endpoints/" + ep + "/edit").body();
        assertThat(form)
                .contains("id=\"edit-endpoint\"")
                .contains("value=\"package.*\"")
                .contains("value=\"package.updated\"")
                .contains("name=\"rate_limit_per_second\"")
                .contains("name=\"headers\"")
                .contains("value=\"ordered\"");
        HttpResponse<String> r = b.postPairs(
                "/ui/endpoints/" + ep + "/edit",
                "csrf",
                b.csrf(form),
                "url",
                receiver.url("/b"),
                "description",
                "Orders <main>",
                "event_types",
                "package.*",
                "event_types",
                "channel.ready",
                "event_types_more",
                "",
                "headers",
                "X-Team: blue\nX-Key: s3cret",
                "format",
                "standard",
                "max_in_flight",
                "3",
                "rate_limit_per_second",
                "7",
                "ordering",
                "ordered",
                "collapse",
                "true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("location")).contains("/ui/endpoints/" + ep);
        JsonNode e = get(p[1], ep);
        assertThat(e.get("url").asText()).isEqualTo(receiver.url("/b"));
        assertThat(e.get("description").asText()).isEqualTo("Orders <main>");
        assertThat(e.get("event_types").toString()).isEqualTo("[\"package.*\",\"channel.ready\"]");
        assertThat(e.get("max_in_flight").asInt()).isEqualTo(3);
        assertThat(e.get("rate_limit_per_second").asInt()).isEqualTo(7);
        assertThat(e.get("ordering").asText()).isEqualTo("ordered");
        assertThat(e.get("collapse").asBoolean()).isTrue();
        assertThat(e.get("headers").fieldNames()).toIterable().containsExactly("X-Team", "X-Key");

        // the stored header values are never put back on the page; saving the form as shown keeps them
        String again = b.get("/ui/endpoints/" + ep + "/edit").body();
        assertThat(again).doesNotContain("s3cret").contains("X-Key: ********").contains("checked> <code>channel.ready");
        r = b.postPairs(
                "/ui/endpoints/" + ep + "/edit",
                "csrf",
                b.csrf(again),
                "url",
                receiver.url("/b"),
                "description",
                "Orders",
                "event_types",
                "*",
                "headers",
                "X-Team: ********\r\nX-Key: ********\r\n",
                "format",
                "standard",
                "max_in_flight",
                "3",
                "rate_limit_per_second",
                "",
                "ordering",
                "none");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        e = get(p[1], ep);
        assertThat(e.get("rate_limit_per_second").isNull())
                .as("an empty rate limit removes it")
                .isTrue();
        assertThat(e.get("collapse").asBoolean())
                .as("an unticked box turns collapse off")
                .isFalse();
        assertThat(e.get("ordering").asText()).isEqualTo("none");
        assertThat(e.get("event_types").toString()).isEqualTo("[\"*\"]");
        assertThat(e.get("headers").size()).isEqualTo(2);
        assertThat(api.get("/v1/audit-log?action=endpoint.update", p[1]).json().get("data"))
                .hasSize(2);
    }

    @Test
    void aValidationErrorIsShownBesideItsFieldAndNothingIsSaved() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        UiBrowser b = signedIn(p[1]);
        String form = b.get("/ui/endpoints/" + ep + "/edit").body();
        HttpResponse<String> r = b.postPairs(
                "/ui/endpoints/" + ep + "/edit",
                "csrf",
                b.csrf(form),
                "url",
                "ftp://nope",
                "description",
                "typed <here>",
                "event_types",
                "*",
                "event_types_more",
                "no.such.type",
                "headers",
                "",
                "format",
                "standard",
                "max_in_flight",
                "0",
                "rate_limit_per_second",
                "",
                "ordering",
                "none");
        assertThat(r.statusCode()).isEqualTo(400);
        String html = r.body();
        assertThat(html)
                .containsPattern(
                        "id=\"row-url\">.*<span class=\"field-error\" id=\"error-url\"[^>]*>[^<]+</span></div>")
                .contains("id=\"error-max_in_flight\" role=\"alert\">must be from 1 to")
                .containsPattern("id=\"error-event_types\" role=\"alert\">\\[1\\] names no event type")
                .doesNotContain("id=\"error-description\"");
        assertThat(html)
                .as("what was typed stays in the form, escaped")
                .contains("value=\"typed &lt;here&gt;\"")
                .contains("value=\"ftp://nope\"")
                .contains("value=\"no.such.type\"");
        assertThat(get(p[1], ep).get("url").asText()).isEqualTo(receiver.url("/a"));

        // the create form is the same form, with the same errors beside the fields
        String list = b.get("/ui/endpoints").body();
        assertThat(list).contains("id=\"create-endpoint\"").contains("name=\"rate_limit_per_second\"");
        r = b.postPairs(
                "/ui/endpoints",
                "csrf",
                b.csrf(list),
                "url",
                receiver.url("/c"),
                "event_types",
                "*",
                "headers",
                "no colon here",
                "max_in_flight",
                "2");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"error-headers\" role=\"alert\">each line must be Name: value");
        r = b.postPairs(
                "/ui/endpoints",
                "csrf",
                b.csrf(list),
                "url",
                receiver.url("/c"),
                "event_types",
                "package.*",
                "headers",
                "X-Team: red",
                "max_in_flight",
                "2",
                "rate_limit_per_second",
                "5",
                "format",
                "standard",
                "ordering",
                "ordered");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String created = r.headers().firstValue("location").orElseThrow();
        JsonNode e = get(p[1], created.substring(created.lastIndexOf('/') + 1));
        assertThat(e.get("max_in_flight").asInt()).isEqualTo(2);
        assertThat(e.get("rate_limit_per_second").asInt()).isEqualTo(5);
        assertThat(e.get("ordering").asText()).isEqualTo("ordered");
        assertThat(e.get("event_types").toString()).isEqualTo("[\"package.*\"]");
    }

    @Test
    void disableEnableAndDeleteAfterItsConfirmationPage() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        UiBrowser b = signedIn(p[1]);
        String page = b.get("/ui/endpoints/" + ep).body();
        assertThat(page)
                .contains("action=\"/ui/endpoints/" + ep + "/disable\"")
                .contains("href=\"/ui/endpoints/" + ep + "/delete\"");
        assertThat(b.post("/ui/endpoints/" + ep + "/disable", Map.of("csrf", b.csrf(page)))
                        .statusCode())
                .isEqualTo(303);
        assertThat(get(p[1], ep).get("enabled").asBoolean()).isFalse();
        page = b.get("/ui/endpoints/" + ep).body();
        assertThat(page).contains("disabled:").contains("action=\"/ui/endpoints/" + ep + "/enable\"");
        assertThat(b.post("/ui/endpoints/" + ep + "/enable", Map.of("csrf", b.csrf(page)))
                        .statusCode())
                .isEqualTo(303);
        assertThat(get(p[1], ep).get("enabled").asBoolean()).isTrue();

        HttpResponse<String> confirm = b.get("/ui/endpoints/" + ep + "/delete");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("cannot be undone")
                .contains(receiver.url("/a"))
                .contains("id=\"delete-endpoint\"");
        assertThat(api.get("/v1/endpoints/" + ep, p[1]).status())
                .as("the confirmation page changes nothing")
                .isEqualTo(200);
        HttpResponse<String> r = b.post("/ui/endpoints/" + ep + "/delete", Map.of("csrf", b.csrf(confirm.body())));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location")).contains("/ui/endpoints");
        assertThat(api.get("/v1/endpoints/" + ep, p[1]).status()).isEqualTo(404);
        assertThat(b.get("/ui/endpoints").body()).contains("deleted.").contains("No endpoints yet");
        assertThat(api.get("/v1/audit-log?action=endpoint.delete", p[1]).json().get("data"))
                .hasSize(1);

        // another partner's endpoint: every new page and action is a 404 or changes nothing
        String[] q = partner("globex");
        String theirs = endpoint(q[1], receiver.url("/q"), "[\"*\"]").get("id").asText();
        assertThat(b.get("/ui/endpoints/" + theirs + "/edit").statusCode()).isEqualTo(404);
        assertThat(b.get("/ui/endpoints/" + theirs + "/delete").statusCode()).isEqualTo(404);
        String csrf = b.csrf(b.get("/ui/endpoints").body());
        b.post("/ui/endpoints/" + theirs + "/delete", Map.of("csrf", csrf));
        b.post("/ui/endpoints/" + theirs + "/disable", Map.of("csrf", csrf));
        assertThat(get(q[1], theirs).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void theReplayFormNarrowsToEventTypesLikeTheApi() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        UiBrowser b = signedIn(p[1]);
        String page = b.get("/ui/endpoints/" + ep).body();
        HttpResponse<String> r = b.post(
                "/ui/endpoints/" + ep + "/replay",
                Map.of(
                        "csrf",
                        b.csrf(page),
                        "since",
                        "2026-11-22T11:00:00Z",
                        "until",
                        "",
                        "which",
                        "all",
                        "event_types",
                        "channel.*, package.updated"));
        assertThat(r.statusCode()).isEqualTo(303);
        JsonNode replays = api.get("/v1/replays", p[1]).json().get("data");
        assertThat(replays).hasSize(1);
        assertThat(replays.get(0).get("event_types").toString()).isEqualTo("[\"channel.*\",\"package.updated\"]");
        r = b.post(
                "/ui/endpoints/" + ep + "/replay",
                Map.of(
                        "csrf",
                        b.csrf(page),
                        "since",
                        "2026-11-22T11:00:00Z",
                        "which",
                        "all",
                        "event_types",
                        "no.such"));
        assertThat(b.get("/ui/endpoints/" + ep).body()).contains("event_types[0] names no event type");
    }

    @Test
    void aReadOnlyPortalSessionIsRefusedEveryNewPost() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        var created = api.post("/platform/v1/partners/" + p[0] + "/portal-links", OPERATOR, "{\"read_only\":true}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String link = URI.create(created.json().get("url").asText()).getPath();
        UiBrowser b = new UiBrowser(app.port());
        assertThat(b.post(link, Map.of("csrf", b.csrf(b.get(link).body()))).statusCode())
                .isEqualTo(303);
        String form = b.get("/ui/endpoints/" + ep + "/edit").body();
        assertThat(b.get("/ui/endpoints/" + ep + "/delete").statusCode()).isEqualTo(200);
        String csrf = b.csrf(form);
        for (String action : new String[] {"edit", "enable", "disable", "delete"}) {
            HttpResponse<String> r = b.postPairs(
                    "/ui/endpoints/" + ep + "/" + action,
                    "csrf",
                    csrf,
                    "url",
                    receiver.url("/z"),
                    "event_types",
                    "*",
                    "max_in_flight",
                    "1");
            assertThat(r.statusCode()).as(action).isEqualTo(403);
            assertThat(r.body()).as(action).contains("read-only");
        }
        JsonNode e = get(p[1], ep);
        assertThat(e.get("url").asText()).isEqualTo(receiver.url("/a"));
        assertThat(e.get("enabled").asBoolean()).isTrue();
    }

    @Test
    void theEventPageSaysWhyAPendingDeliveryIsHeldAndWhenItGoes() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        receiver.always(TestReceiver.status(500));
        String failing = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], failing).get(0).get("attempts").size() == 1);
        UiBrowser b = signedIn(p[1]);
        String html = b.get("/ui/events/" + failing).body();
        assertThat(html)
                .contains("Waiting to retry</b> after attempt 1 (HTTP 500): next attempt <time")
                .containsPattern(
                        "next attempt <time datetime=\"[^\"]+\" title=\"[^\"]+\">in \\d+ s</time> \\(20\\d\\d-")
                .contains("<table class=\"timeline\">")
                .contains("next attempt</td>");
        // pretty-printed on the server: the data's fields are on their own lines
        assertThat(html).containsPattern("<pre>\\{\\n  &quot;");

        assertThat(api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"enabled\":false}")
                        .status())
                .isEqualTo(200);
        // a disabled endpoint gets no new deliveries; the one already pending waits for it
        html = b.get("/ui/events/" + failing).body();
        assertThat(html).contains("the endpoint is disabled (by the partner)").contains("until it is enabled again");
    }
}
