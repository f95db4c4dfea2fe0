package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.UiBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard over plain HTTP: sign-in, cookies, CSRF, escaping, and the pages' content. */
class DashboardTest extends AppTestBase {
    @Override
    protected String databaseUrl() {
        return "";
    }

    /** A browser stand-in on this test's server. */
    final class Browser extends UiBrowser {
        Browser() {
            super(app.port());
        }
    }

    @Test
    void signInSetsAStrictHttpOnlySessionCookieAndTheKeyNeverAppearsInAUrlOrCookie() throws Exception {
        String[] p = partner("acme");
        Browser b = new Browser();
        assertThat(b.get("/ui/endpoints").headers().firstValue("location")).contains("/ui/login");
        b.signIn(p[1]);
        String session = b.setCookies.stream()
                .filter(c -> c.startsWith("ph_session="))
                .findFirst()
                .orElseThrow();
        assertThat(session)
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/ui")
                .doesNotContain(p[1]);
        assertThat(b.setCookies).noneMatch(c -> c.contains(p[1]));
        HttpResponse<String> page = b.get("/ui/endpoints");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("acme").doesNotContain(p[1]);
        assertThat(page.headers().firstValue("content-security-policy").orElse(""))
                .contains("default-src 'none'");
    }

    @Test
    void aWrongKeyIsRefusedAndAFormWithoutItsCookieTokenToo() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> form = b.get("/ui/login");
        HttpResponse<String> wrong = b.post("/ui/login", Map.of("csrf", b.csrf(form.body()), "key", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Unknown API key");
        Browser other = new Browser();
        HttpResponse<String> forged = other.post("/ui/login", Map.of("csrf", "guess", "key", partner("x")[1]));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(other.cookies).doesNotContainKey("ph_session");
    }

    @Test
    void everyPostWithoutTheSessionCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        String[] p = partner("acme");
        Browser b = new Browser();
        b.signIn(p[1]);
        HttpResponse<String> r = b.post("/ui/endpoints", Map.of("url", receiver.url("/x"), "event_types", "*"));
        assertThat(r.statusCode()).isEqualTo(403);
        r = b.post("/ui/endpoints", Map.of("csrf", "wrong", "url", receiver.url("/x"), "event_types", "*"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();

        String csrf = b.csrf(b.get("/ui/endpoints").body());
        r = b.post("/ui/endpoints", Map.of("csrf", csrf, "url", receiver.url("/x"), "event_types", "*"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).hasSize(1);
    }

    @Test
    void theCreateFormSetsASubjectFilterAndTheEndpointPageShowsIt() throws Exception {
        String[] p = partner("acme");
        Browser b = new Browser();
        b.signIn(p[1]);
        String form = b.get("/ui/endpoints").body();
        assertThat(form).contains("id=\"subject-filter\"").contains("name=\"filter_workspace_ids\"");
        HttpResponse<String> r = b.post(
                "/ui/endpoints",
                Map.of(
                        "csrf",
                        b.csrf(form),
                        "url",
                        receiver.url("/f"),
                        "event_types",
                        "*",
                        "filter_workspace_ids",
                        "ws_a, ws_b",
                        "filter_phone_numbers",
                        "+4915112345678"));
        assertThat(r.statusCode()).isEqualTo(303);
        var ep = api.get("/v1/endpoints", p[1]).json().get("data").get(0);
        assertThat(ep.get("filter").get("workspace_ids").toString()).isEqualTo("[\"ws_a\",\"ws_b\"]");
        assertThat(ep.get("filter").get("phone_numbers").toString()).isEqualTo("[\"+4915112345678\"]");
        assertThat(ep.get("filter").get("channel_ids")).isEmpty();
        String page = b.get("/ui/endpoints/" + ep.get("id").asText()).body();
        assertThat(page)
                .contains("id=\"filter\"")
                .contains("<code>ws_a ws_b</code>")
                .contains("<code>+4915112345678</code>");

        // the edit form shows the filter and changes it; emptied, it is removed
        String id = ep.get("id").asText();
        String edit = b.get("/ui/endpoints/" + id + "/edit").body();
        assertThat(edit).contains("name=\"filter_workspace_ids\"").contains("value=\"ws_a ws_b\"");
        r = b.post(
                "/ui/endpoints/" + id + "/edit",
                Map.of(
                        "csrf",
                        b.csrf(edit),
                        "url",
                        receiver.url("/f"),
                        "event_types",
                        "*",
                        "max_in_flight",
                        "10",
                        "filter_channel_ids",
                        "ch_1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        var changed = api.get("/v1/endpoints/" + id, p[1]).json();
        assertThat(changed.get("trace_context").asBoolean()).isFalse();
        assertThat(changed.get("filter").get("channel_ids").toString()).isEqualTo("[\"ch_1\"]");
        assertThat(changed.get("filter").get("workspace_ids")).isEmpty();
        r = b.post(
                "/ui/endpoints/" + id + "/edit",
                Map.of(
                        "csrf",
                        b.csrf(edit),
                        "url",
                        receiver.url("/f"),
                        "event_types",
                        "*",
                        "max_in_flight",
                        "10",
                        "trace_context",
                        "true"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(api.get("/v1/endpoints/" + id, p[1]).json().get("filter").isNull())
                .isTrue();
        assertThat(api.get("/v1/endpoints/" + id, p[1])
                        .json()
                        .get("trace_context")
                        .asBoolean())
                .as("the edit form's trace box")
                .isTrue();
        assertThat(b.get("/ui/endpoints/" + id + "/edit").body())
                .contains("name=\"trace_context\" value=\"true\" checked");

        // no filter fields: no filter
        r = b.post("/ui/endpoints", Map.of("csrf", b.csrf(form), "url", receiver.url("/g"), "event_types", "*"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/endpoints", p[1])
                        .json()
                        .get("data")
                        .get(1)
                        .get("filter")
                        .isNull())
                .isTrue();
    }

    @Test
    void hostileValuesAreShownEscapedOnEveryPage() throws Exception {
        String[] p = partner("<b>acme</b>");
        String hostile = "<script>alert('x')</script>\"><img src=x>";
        var created = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/h?a=1&b=2") + "\",\"event_types\":[\"*\"]," + "\"description\":"
                        + Api.JSON.writeValueAsString(hostile) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        receiver.always(new TestReceiver.Behaviour.Answer(500, "<script>steal()</script>", Map.of()));
        String evt = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], evt).get(0).get("attempts").size() == 1);
        String ep = api.get("/v1/endpoints", p[1])
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asText();

        Browser b = new Browser();
        b.signIn(p[1]);
        for (String path : List.of("/ui/endpoints", "/ui/endpoints/" + ep, "/ui/events", "/ui/events/" + evt)) {
            String html = b.get(path).body();
            assertThat(html)
                    .as(path)
                    .doesNotContain("<script")
                    .doesNotContain("<img")
                    .doesNotContain("<b>acme")
                    .doesNotContain("a=1&b=2");
        }
        assertThat(b.get("/ui/endpoints").body())
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x&gt;")
                .contains("&lt;b&gt;acme&lt;/b&gt;")
                .contains("a=1&amp;b=2");
        assertThat(b.get("/ui/events/" + evt).body()).contains("&lt;script&gt;steal()&lt;/script&gt;");
    }

    @Test
    void theOperatorListsPartnersAndViewsOne() throws Exception {
        String[] p = partner("acme");
        partner("globex");
        endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        Browser b = new Browser();
        b.signIn(OPERATOR);
        assertThat(b.get("/ui/endpoints").headers().firstValue("location")).contains("/ui/partners");
        String list = b.get("/ui/partners").body();
        assertThat(list).contains("acme").contains("globex");
        HttpResponse<String> r = b.post("/ui/partners/select", Map.of("csrf", b.csrf(list), "partner_id", p[0]));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(b.get("/ui/endpoints").body()).contains(receiver.url("/a")).contains("viewing acme");
    }

    @Test
    void aPartnerCannotOpenAnotherPartnersPagesOrTheOperatorList() throws Exception {
        String[] p = partner("acme");
        String[] q = partner("globex");
        String theirs = endpoint(q[1], receiver.url("/q"), "[\"*\"]").get("id").asText();
        Browser b = new Browser();
        b.signIn(p[1]);
        assertThat(b.get("/ui/endpoints/" + theirs).statusCode()).isEqualTo(404);
        assertThat(b.get("/ui/partners").statusCode()).isEqualTo(404);
    }

    @Test
    void theEventLogAppliesTheFiltersAndNamesABadOne() throws Exception {
        String[] p = partner("acme");
        endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        String pkg = publish(p[0], "package.updated", "{}");
        String other = publish(p[0], "channel.ready", "{}");
        Browser b = new Browser();
        b.signIn(p[1]);
        String all = b.get("/ui/events").body();
        assertThat(all).contains(pkg).contains(other);
        String filtered = b.get("/ui/events?type=package.*").body();
        assertThat(filtered).contains(pkg).doesNotContain(other);
        HttpResponse<String> bad = b.get("/ui/events?since=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("since must be an RFC 3339 time");
        assertThat(b.get("/ui/catalog").body())
                .contains("package.updated")
                .contains("schema")
                .contains("example");
    }

    @Test
    void recoverAndSendTestFromTheEndpointPageAndBadInputComesBackAsAMessage() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/a"), "[\"*\"]").get("id").asText();
        Browser b = new Browser();
        b.signIn(p[1]);
        String page = b.get("/ui/endpoints/" + ep).body();
        String csrf = b.csrf(page);
        HttpResponse<String> bad = b.post("/ui/endpoints/" + ep + "/recover", Map.of("csrf", csrf, "since", "soon"));
        assertThat(bad.statusCode()).isEqualTo(303);
        assertThat(b.get("/ui/endpoints/" + ep).body()).contains("since must be an RFC 3339 time");
        HttpResponse<String> ok =
                b.post("/ui/endpoints/" + ep + "/recover", Map.of("csrf", csrf, "since", "2026-11-22T00:00:00Z"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(b.get("/ui/endpoints/" + ep).body()).contains("0 failed deliveries re-queued");

        HttpResponse<String> sent =
                b.post("/ui/endpoints/" + ep + "/test", Map.of("csrf", csrf, "type", "package.updated"));
        String eventPage = sent.headers().firstValue("location").orElseThrow();
        assertThat(eventPage).startsWith("/ui/events/evt_");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        await().atMost(WAIT)
                .until(() -> b.get(eventPage).body().contains("Attempt 1: <span class=\"answer\">HTTP 200"));
        HttpResponse<String> unknownType =
                b.post("/ui/endpoints/" + ep + "/test", Map.of("csrf", csrf, "type", "nope"));
        assertThat(unknownType.headers().firstValue("location")).contains("/ui/endpoints/" + ep);
        assertThat(b.get("/ui/endpoints/" + ep).body()).contains("type is not in the event catalog");
    }

    @Test
    void theReplayFormStartsAReplayThatTheEndpointPageFollowsAndAResendButtonSendsAgain() throws Exception {
        String[] p = partner("acme");
        String event = publish(p[0], ANY_TYPE, "{}");
        publish(p[0], ANY_TYPE, "{}");
        // created after both events: they are missing here
        String ep = endpoint(p[1], receiver.url("/late"), "[\"*\"]").get("id").asText();
        clock.advance(Duration.ofSeconds(1));
        Browser b = new Browser();
        b.signIn(p[1]);
        String page = b.get("/ui/endpoints/" + ep).body();
        assertThat(page).contains("id=\"replay\"").contains("Replay…").contains("No replays.");
        String csrf = b.csrf(page);
        HttpResponse<String> bad = b.post(
                "/ui/endpoints/" + ep + "/replay",
                Map.of("csrf", csrf, "since", "2026-11-22T11:00:00Z", "which", "sometimes"));
        assertThat(bad.statusCode()).isEqualTo(303);
        assertThat(b.get("/ui/endpoints/" + ep).body()).contains("which must be failed, missing or all");
        HttpResponse<String> ok = b.post(
                "/ui/endpoints/" + ep + "/replay",
                Map.of("csrf", csrf, "since", "2026-11-22T11:00:00Z", "until", "", "which", "missing"));
        assertThat(ok.statusCode()).isEqualTo(303);
        String after = b.get("/ui/endpoints/" + ep).body();
        assertThat(after).containsPattern("Replay rpl_[0-9A-Z]+ started: 2 events to send again");
        assertThat(after).contains("<table id=\"replays\">").contains("<td>missing");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        await().atMost(WAIT).until(() -> {
            clock.advance(Duration.ofSeconds(3));
            app.replayTask().wake();
            return b.get("/ui/endpoints/" + ep).body().contains("<td class=\"replay-state\">completed</td>");
        });
        assertThat(api.get("/v1/audit-log?action=endpoint.replay", p[1]).json().get("data"))
                .hasSize(1);

        // the event page offers Resend for a delivered delivery
        String eventPage = b.get("/ui/events/" + event).body();
        assertThat(eventPage).contains("/resend");
        String delivery = deliveries(p[1], event).get(0).get("id").asText();
        HttpResponse<String> resent = b.post(
                "/ui/deliveries/" + delivery + "/resend",
                Map.of("csrf", b.csrf(eventPage), "back", "/ui/events/" + event));
        assertThat(resent.headers().firstValue("location")).contains("/ui/events/" + event);
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(receiver.received().stream().filter(r -> event.equals(r.header("webhook-id"))))
                .hasSize(2);
    }

    @Test
    void theAuditPageShowsOwnEntriesEscapedWithFiltersAndPaging() throws Exception {
        String[] p = partner("acme");
        String[] q = partner("globex");
        String hostile = "<script>alert(1)</script>";
        String ep = api.post(
                        "/v1/endpoints",
                        p[1],
                        "{\"url\":\"" + receiver.url("/a") + "\",\"event_types\":[\"*\"]," + "\"description\":\""
                                + hostile + "\"}")
                .json()
                .get("id")
                .asText();
        for (int i = 0; i < AuditPageSize.PAGE; i++) {
            assertThat(api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"description\":\"v" + i + "\"}")
                            .status())
                    .isEqualTo(200);
        }
        endpoint(q[1], receiver.url("/q"), "[\"*\"]");

        Browser b = new Browser();
        b.signIn(p[1]);
        String first = b.get("/ui/audit").body();
        assertThat(first)
                .contains("href=\"/ui/audit\"")
                .contains("endpoint.update")
                .doesNotContain("<script>alert")
                .doesNotContain(q[0]);
        assertThat(first.split("<code class=\"action\">", -1).length - 1).isEqualTo(AuditPageSize.PAGE);
        Matcher older = Pattern.compile("id=\"older\" href=\"([^\"]+)\"").matcher(first);
        assertThat(older.find()).isTrue();
        String second = b.get(older.group(1).replace("&amp;", "&")).body();
        assertThat(second)
                .contains("endpoint.create")
                .contains("partner.create")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("id=\"older\"");

        String creates = b.get("/ui/audit?action=endpoint.create").body();
        assertThat(creates)
                .contains("<code class=\"action\">endpoint.create")
                .doesNotContain("<code class=\"action\">endpoint.update");
        assertThat(b.get("/ui/audit?until=2026-11-22T11:00:00Z").body()).contains("No entries match.");
        HttpResponse<String> bad = b.get("/ui/audit?since=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("since must be an RFC 3339 time");
        assertThat(b.get("/ui/audit?partner_id=" + q[0]).body())
                .as("a partner cannot widen its scope")
                .doesNotContain(q[0]);

        Browser op = new Browser();
        op.signIn(OPERATOR);
        String all = op.get("/ui/audit?action=endpoint.create").body();
        assertThat(all).contains(p[0]).contains(q[0]).contains("Showing every partner");
        String one =
                op.get("/ui/audit?action=endpoint.create&partner_id=" + q[0]).body();
        assertThat(one).contains(q[0]).doesNotContain("<code>" + p[0] + "</code>");
        assertThat(op.get("/ui/audit?partner_id=nope").statusCode()).isEqualTo(400);
    }

    @Test
    void theEndpointChartCountsAFailingEndpointsAttemptsInTheWindowNotThePageOfDeliveries() throws Exception {
        String[] p = partner("acme");
        String ep = endpoint(p[1], receiver.url("/down"), "[\"*\"]").get("id").asText();
        receiver.always(new TestReceiver.Behaviour.Answer(500, "down", Map.of()));
        List<String> evts =
                List.of(publish(p[0], ANY_TYPE, "{}"), publish(p[0], ANY_TYPE, "{}"), publish(p[0], ANY_TYPE, "{}"));
        for (String evt : evts) {
            await().atMost(WAIT)
                    .until(() -> deliveries(p[1], evt).get(0).get("attempts").size() >= 1);
        }
        int attempts = api.get("/v1/endpoints/" + ep + "/stats", p[1])
                .json()
                .get("attempts")
                .asInt();
        assertThat(attempts).isGreaterThanOrEqualTo(3);

        Browser b = new Browser();
        b.signIn(p[1]);
        String page = b.get("/ui/endpoints/" + ep).body();
        Matcher chart = Pattern.compile(
                        "<svg class=\"chart\" id=\"chart\"[^>]*data-attempts=\"(\\d+)\" data-failed=\"(\\d+)\"")
                .matcher(page);
        assertThat(chart.find()).as(page).isTrue();
        assertThat(Integer.parseInt(chart.group(1))).isEqualTo(attempts);
        assertThat(Integer.parseInt(chart.group(2))).isEqualTo(attempts);
        assertThat(page)
                .doesNotContain("No attempts yet")
                .contains("class=\"failed\"")
                .doesNotContain("class=\"ok\" x=")
                .contains(">now</text>")
                .contains(">12:00</text>");
        String list = b.get("/ui/endpoints").body();
        assertThat(list)
                .containsPattern("id=\"spark-" + ep + "\"[^>]*data-attempts=\"" + attempts + "\" data-failed=\""
                        + attempts + "\"");
    }

    /** The audit page's page size, as the page class has it. */
    static final class AuditPageSize {
        static final int PAGE = 50;
    }
}
