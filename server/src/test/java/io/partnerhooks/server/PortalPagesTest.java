package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.UiBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The partner-portal pages of issue 17 over plain HTTP, on both databases: the event log's
 * delivery-status column, status filters, id search and paging both ways (the store's cursors),
 * and the threshold, workspace and channel pages with their actions and read-only refusals.
 */
abstract class PortalPagesTest extends AppTestBase {
    UiBrowser browser(String key) throws Exception {
        UiBrowser b = new UiBrowser(app.port());
        b.signIn(key);
        return b;
    }

    /** The event ids in the log's table, top to bottom. */
    static List<String> rows(String html) {
        int table = html.indexOf("<table id=\"events\"");
        assertThat(table).as(html).isNotNegative();
        String body = html.substring(table, html.indexOf("</table>", table));
        Matcher m = Pattern.compile("<tr><td><a href=\"/ui/events/(evt_[0-9A-Za-z]+)\"")
                .matcher(body);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static String href(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\" href=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as(id + " link in " + html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    @Test
    void theLogShowsEachEventsDeliveryStatusFiltersByItAndNamesTheEndpoints() throws Exception {
        String[] p = partner("acme");
        Api.Response a = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/a")
                        + "\",\"event_types\":[\"package.*\"],\"description\":\"Alpha hooks\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        Api.Response b = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/b")
                        + "\",\"event_types\":[\"channel.*\"],\"description\":\"Bravo hooks\"}");
        assertThat(b.status()).as(b.body()).isEqualTo(201);
        String none = publish(p[0], "client.created", "{}");
        clock.advance(Duration.ofMillis(1)); // ids a millisecond apart: a fixed order in the log
        String delivered = publish(p[0], "package.updated", "{}");
        clock.advance(Duration.ofMillis(1)); // ids a millisecond apart: a fixed order in the log
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], delivered)
                        .get(0)
                        .get("status")
                        .asText()
                        .equals("delivered"));
        receiver.then(TestReceiver.status(410));
        String failed = publish(p[0], "channel.ready", "{}");
        clock.advance(Duration.ofMillis(1)); // ids a millisecond apart: a fixed order in the log
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], failed).get(0).get("status").asText().equals("failed"));
        api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/c") + "\",\"event_types\":[\"package.*\"],"
                        + "\"description\":\"Charlie hooks\"}");
        // one of the two deliveries gets the 500 and waits (the clock stands still), the other is delivered
        receiver.then(TestReceiver.status(500));
        String mixed = publish(p[0], "package.updated", "{}");
        clock.advance(Duration.ofMillis(1)); // ids a millisecond apart: a fixed order in the log
        await().atMost(WAIT).until(() -> {
            var ds = deliveries(p[1], mixed);
            return ds.size() == 2
                    && ds.get(0).get("attempts").size() == 1
                    && ds.get(1).get("attempts").size() == 1;
        });
        receiver.always(new TestReceiver.Behaviour.Answer(500, "down", Map.of()));
        String pending = publish(p[0], "package.updated", "{}");

        UiBrowser ui = browser(p[1]);
        String all = ui.get("/ui/events").body();
        assertThat(rows(all)).containsExactly(pending, mixed, failed, delivered, none);
        assertThat(all)
                .contains("class=\"outcome outcome-mixed\" title=\"1 delivered, 1 pending\">mixed")
                .contains("class=\"outcome outcome-failed\"")
                .contains("class=\"outcome outcome-none\"")
                .contains(">Alpha hooks</a>")
                .contains(">Bravo hooks</a>")
                .contains(">Charlie hooks</a>")
                .contains(
                        "<time datetime=\"2026-11-22T12:00:00.000Z\" title=\"2026-11-22T12:00:00.000Z\">just now</time>");
        Map<String, String> byStatus =
                Map.of("delivered", delivered, "failed", failed, "mixed", mixed, "pending", pending, "none", none);
        for (var e : byStatus.entrySet()) {
            HttpResponse<String> r = ui.get("/ui/events?status=" + e.getKey());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(rows(r.body())).as(e.getKey()).containsExactly(e.getValue());
            assertThat(r.body()).contains("<option value=\"" + e.getKey() + "\" selected>");
        }
        assertThat(rows(ui.get("/ui/events?status=superseded").body())).isEmpty();
        // a filter combines with the others
        assertThat(rows(ui.get("/ui/events?status=delivered&type=channel.*").body()))
                .isEmpty();
        HttpResponse<String> bad = ui.get("/ui/events?status=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("<span class=\"field-error\" id=\"error-status\">status must be delivered");

        clock.advance(Duration.ofMinutes(3));
        assertThat(ui.get("/ui/events?status=none").body()).contains(">3 min ago</time>");
    }

    @Test
    void searchingByEventOrDeliveryIdOpensTheEventAndAnUnknownIdIsNamedBesideTheField() throws Exception {
        String[] p = partner("acme");
        String[] q = partner("globex");
        endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        String evt = publish(p[0], ANY_TYPE, "{}");
        String dlv = deliveries(p[1], evt).get(0).get("id").asText();
        String theirs = publish(q[0], ANY_TYPE, "{}");
        UiBrowser ui = browser(p[1]);
        HttpResponse<String> r = ui.get("/ui/events?find=" + evt);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location").orElseThrow()).isEqualTo("/ui/events/" + evt);
        r = ui.get("/ui/events?find=%20" + dlv + "%20");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location").orElseThrow()).isEqualTo("/ui/events/" + evt + "#" + dlv);
        r = ui.get("/ui/events?find=" + theirs);
        assertThat(r.statusCode()).as("another partner's event is not found").isEqualTo(400);
        assertThat(r.body())
                .contains("<span class=\"field-error\" id=\"error-find\">find no event or delivery " + theirs);
        r = ui.get("/ui/events?find=hello");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("id=\"error-find\">find must be an event id (evt_...) or a delivery id (dlv_...)");
    }

    @Test
    void theLogPagesOlderNewerAndBackToTheFirstPage() throws Exception {
        String[] p = partner("acme");
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            published.add(publish(p[0], "client.created", "{}"));
            clock.advance(Duration.ofMillis(1));
        }
        List<String> newestFirst = new ArrayList<>(published);
        Collections.reverse(newestFirst);
        UiBrowser ui = browser(p[1]);
        String first = ui.get("/ui/events?type=client.created").body();
        assertThat(rows(first)).isEqualTo(newestFirst.subList(0, 50));
        assertThat(first).doesNotContain("id=\"newer\"").doesNotContain("id=\"first\"");
        String olderUrl = href(first, "older");
        assertThat(olderUrl).contains("type=client.created").contains("after=" + newestFirst.get(49));
        String second = ui.get(olderUrl).body();
        assertThat(rows(second)).isEqualTo(newestFirst.subList(50, 62));
        assertThat(second).doesNotContain("id=\"older\"");
        assertThat(href(second, "first")).isEqualTo("/ui/events?type=client.created");
        String back = ui.get(href(second, "newer")).body();
        assertThat(rows(back))
                .as("newer from the second page is the first page again")
                .isEqualTo(newestFirst.subList(0, 50));
        assertThat(back)
                .as("nothing is newer than the newest")
                .doesNotContain("id=\"newer\"")
                .contains("id=\"older\"");
        // newer from the middle: the 50 just above the cursor, and more above them
        String middle = ui.get("/ui/events?type=client.created&before=" + newestFirst.get(55))
                .body();
        assertThat(rows(middle)).isEqualTo(newestFirst.subList(5, 55));
        assertThat(href(middle, "newer")).contains("before=" + newestFirst.get(5));
        assertThat(rows(ui.get(href(middle, "newer")).body())).isEqualTo(newestFirst.subList(0, 5));
        assertThat(ui.get("/ui/events?before=nope").statusCode()).isEqualTo(400);
    }

    @Test
    void thresholdsAreListedAddedAndDeletedWithTheErrorBesideItsFieldAndAudited() throws Exception {
        String[] p = partner("acme");
        UiBrowser ui = browser(p[1]);
        String page = ui.get("/ui/thresholds").body();
        assertThat(page).contains("No thresholds yet").contains("href=\"/ui/thresholds\">Thresholds</a>");
        HttpResponse<String> r =
                ui.post("/ui/thresholds", Map.of("csrf", ui.csrf(page), "quota", "messaging", "percent", "80"));
        assertThat(r.statusCode()).isEqualTo(303);
        page = ui.get("/ui/thresholds").body();
        assertThat(page).contains("Threshold messaging at 80 % added.").contains("<td>messaging</td><td>80 %</td>");
        assertThat(api.get("/v1/thresholds", p[1]).body()).contains("\"percent\":80");

        r = ui.post("/ui/thresholds", Map.of("csrf", ui.csrf(page), "quota", "api_calls", "percent", "250"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains(
                        "<span class=\"field-error\" id=\"error-percent\">percent must be a whole number from 1 to 100")
                .contains("<option selected>api_calls</option>")
                .contains("value=\"250\"");

        r = ui.post("/ui/thresholds/delete", Map.of("csrf", ui.csrf(page), "quota", "messaging", "percent", "80"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(ui.get("/ui/thresholds").body()).contains("deleted").contains("No thresholds yet");
        var log = api.get("/v1/audit-log?limit=10", p[1]).json().get("data");
        assertThat(log)
                .extracting(e -> e.get("action").asText())
                .containsExactly("threshold.delete", "threshold.create", "partner.create");
        assertThat(log.get(0).get("actor").get("type").asText()).isEqualTo("partner");
    }

    @Test
    void workspacesShowTheirPlanAndQuotaUse() throws Exception {
        String[] p = partner("acme");
        String[] q = partner("globex");
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/workspaces/ws_shop",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"seats_purchased\":5,\"messaging_quota\":1000,\"billing_period_start\":\"2026-11-01T00:00:00Z\","
                                        + "\"billing_period_end\":\"2026-12-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/workspaces/ws_theirs",
                                OPERATOR,
                                "{\"partner_id\":\"" + q[0]
                                        + "\",\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post(
                                "/platform/v1/workspaces/ws_shop/usage",
                                OPERATOR,
                                "{\"messaging_used\":850,\"seats_used\":2}")
                        .status())
                .isBetween(200, 202);
        UiBrowser ui = browser(p[1]);
        String page = ui.get("/ui/workspaces").body();
        assertThat(page)
                .contains("<code>ws_shop</code>")
                .doesNotContain("ws_theirs")
                .contains("<td>2 / 5</td>")
                .contains("85 %</span><br><span class=\"muted\">850 of 1000</span>");
    }

    @Test
    void aChannelsMessagingWebhookIsSetChangedAndRemovedWithErrorsBesideTheirFields() throws Exception {
        String[] p = partner("acme");
        String[] q = partner("globex");
        for (String[] who :
                new String[][] {{p[0], "cl_a", "ch_a", "+31600000001"}, {q[0], "cl_q", "ch_q", "+31600000002"}}) {
            assertThat(api.call(
                                    "PUT",
                                    "/platform/v1/clients/" + who[1],
                                    OPERATOR,
                                    "{\"partner_id\":\"" + who[0] + "\",\"name\":\"client\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(api.call(
                                    "PUT",
                                    "/platform/v1/channels/" + who[2],
                                    OPERATOR,
                                    "{\"partner_id\":\"" + who[0] + "\",\"client_id\":\"" + who[1]
                                            + "\",\"phone_number\":\"" + who[3] + "\"}")
                            .status())
                    .isEqualTo(200);
        }
        UiBrowser ui = browser(p[1]);
        String list = ui.get("/ui/channels").body();
        assertThat(list).contains("ch_a").contains("+31600000001").doesNotContain("ch_q");
        assertThat(ui.get("/ui/channels/ch_q").statusCode())
                .as("another partner's channel")
                .isEqualTo(404);
        String page = ui.get("/ui/channels/ch_a").body();
        assertThat(page).contains("id=\"no-webhook\"");

        HttpResponse<String> r = ui.post(
                "/ui/channels/ch_a/webhook",
                Map.of(
                        "csrf",
                        ui.csrf(page),
                        "url",
                        "ftp://nope",
                        "headers",
                        "X-Tenant: 7",
                        "ordering",
                        "none",
                        "status_order",
                        "sideways"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("<span class=\"field-error\" id=\"error-url\">url ")
                .contains("<span class=\"field-error\" id=\"error-status_order\">status_order must be")
                .contains("value=\"ftp://nope\"")
                .contains("X-Tenant: 7</textarea>");
        assertThat(api.get("/v1/channels/ch_a/webhook", p[1]).status()).isEqualTo(404);

        r = ui.post(
                "/ui/channels/ch_a/webhook",
                Map.of(
                        "csrf",
                        ui.csrf(page),
                        "url",
                        receiver.url("/wa"),
                        "headers",
                        "X-Tenant: 7",
                        "ordering",
                        "none",
                        "status_order",
                        "as_received"));
        assertThat(r.statusCode()).isEqualTo(303);
        page = ui.get("/ui/channels/ch_a").body();
        assertThat(page)
                .contains("saved")
                .contains("<code>" + receiver.url("/wa") + "</code>")
                .contains("X-Tenant")
                .doesNotContain(">7<");
        var hook = api.get("/v1/channels/ch_a/webhook", p[1]).json();
        assertThat(hook.get("status_order").asText()).isEqualTo("as_received");

        r = ui.post(
                "/ui/channels/ch_a/webhook",
                Map.of(
                        "csrf",
                        ui.csrf(page),
                        "url",
                        receiver.url("/wa2"),
                        "headers",
                        "",
                        "ordering",
                        "ordered",
                        "status_order",
                        "monotonic"));
        assertThat(r.statusCode()).isEqualTo(303);
        hook = api.get("/v1/channels/ch_a/webhook", p[1]).json();
        assertThat(hook.get("url").asText()).isEqualTo(receiver.url("/wa2"));
        assertThat(hook.get("ordering").asText()).isEqualTo("ordered");
        assertThat(hook.get("status_order").asText()).isEqualTo("monotonic");
        assertThat(hook.get("headers").size()).isZero();
        assertThat(ui.get("/ui/channels").body()).contains(receiver.url("/wa2"));

        page = ui.get("/ui/channels/ch_a").body();
        r = ui.post("/ui/channels/ch_a/webhook/delete", Map.of("csrf", ui.csrf(page)));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(ui.get("/ui/channels/ch_a").body()).contains("removed").contains("id=\"no-webhook\"");
        assertThat(api.get("/v1/channels/ch_a/webhook", p[1]).status()).isEqualTo(404);
        var log = api.get("/v1/audit-log?limit=10", p[1]).json().get("data");
        assertThat(log)
                .extracting(e -> e.get("action").asText())
                .filteredOn(a -> a.startsWith("channel_webhook."))
                .containsExactly("channel_webhook.delete", "channel_webhook.set", "channel_webhook.set");
        assertThat(ui.post("/ui/channels/ch_q/webhook", Map.of("csrf", ui.csrf(page), "url", receiver.url("/x")))
                        .headers()
                        .firstValue("location"))
                .as("another partner's channel: back with a message")
                .isPresent();
        assertThat(api.get("/v1/channels/ch_q/webhook", q[1]).status()).isEqualTo(404);
    }

    @Test
    void aReadOnlyPortalSessionSeesTheNewPagesAndIsRefusedEveryChange() throws Exception {
        String[] p = partner("acme");
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_a",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"client\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_a",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"client_id\":\"cl_a\",\"phone_number\":\"+31600000001\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":80}")
                        .status())
                .isEqualTo(201);
        Api.Response link =
                api.post("/platform/v1/partners/" + p[0] + "/portal-links", OPERATOR, "{\"read_only\":true}");
        String path = URI.create(link.json().get("url").asText()).getPath();
        UiBrowser ui = new UiBrowser(app.port());
        HttpResponse<String> form = ui.get(path);
        assertThat(ui.post(path, Map.of("csrf", ui.csrf(form.body()))).statusCode())
                .isEqualTo(303);
        for (String page :
                List.of("/ui/thresholds", "/ui/workspaces", "/ui/channels", "/ui/channels/ch_a", "/ui/events")) {
            assertThat(ui.get(page).statusCode()).as(page).isEqualTo(200);
        }
        String csrf = ui.csrf(ui.get("/ui/thresholds").body());
        Map<String, Map<String, String>> posts = Map.of(
                "/ui/thresholds", Map.of("csrf", csrf, "quota", "api_calls", "percent", "50"),
                "/ui/thresholds/delete", Map.of("csrf", csrf, "quota", "messaging", "percent", "80"),
                "/ui/channels/ch_a/webhook", Map.of("csrf", csrf, "url", receiver.url("/wa")),
                "/ui/channels/ch_a/webhook/delete", Map.of("csrf", csrf));
        for (var e : posts.entrySet()) {
            HttpResponse<String> r = ui.post(e.getKey(), e.getValue());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(403);
            assertThat(r.body()).contains("This session is read-only");
        }
        assertThat(api.get("/v1/thresholds", p[1]).json().get("data")).hasSize(1);
        assertThat(api.get("/v1/channels/ch_a/webhook", p[1]).status()).isEqualTo(404);
    }
}
