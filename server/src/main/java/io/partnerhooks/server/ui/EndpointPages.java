package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.delivery.AttemptStatistics;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.ManageEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The endpoint list (with health) and one endpoint (stats, chart, deliveries, buttons); its editing
 * is in {@link EndpointEditPages}, its action forms in {@link EndpointActions}, its health figures
 * in {@link EndpointHealthView} and its tables in {@link EndpointTables}.
 */
final class EndpointPages {
    /** Health figures on the list cover this window. */
    static final Duration HEALTH_WINDOW = Duration.ofHours(24);

    static final int RECENT_DELIVERIES = 25;

    private final Dashboard.Services svc;
    private final Clock clock;

    EndpointPages(Dashboard.Services svc, Clock clock) {
        this.svc = svc;
        this.clock = clock;
    }

    private ComputeEndpointStats.Stats stats(UiSessions.Session s, EndpointId id) {
        return svc.stats().of(s.partner(), id, HEALTH_WINDOW);
    }

    String list(Context ctx, UiSessions.Session s) {
        return list(s, EndpointForm.State.blank());
    }

    /** The list with the create form as {@code form} holds it (blank, or as posted with its errors). */
    private String list(UiSessions.Session s, EndpointForm.State form) {
        StringBuilder sb = new StringBuilder(
                "<div class=\"scroll\"><table id=\"endpoints\"><tr><th>Endpoint</th><th>URL</th><th>Description</th>"
                        + "<th>State</th><th>Success (24 h)</th><th>Latency p50 / p95</th><th>Attempts</th><th>Last 24 h</th></tr>");
        List<Endpoint> eps = svc.endpoints().list(s.partner());
        Instant now = clock.instant();
        for (Endpoint e : eps) {
            var stats = stats(s, e.id());
            var samples = stats.samples();
            AttemptStatistics st = stats.figures();
            sb.append("<tr><td><a href=\"/ui/endpoints/")
                    .append(esc(Html.q(e.id().value())))
                    .append("\">")
                    .append(esc(e.id().value()))
                    .append("</a></td><td><code>")
                    .append(esc(e.url()))
                    .append("</code></td><td>")
                    .append(esc(e.description()))
                    .append("</td><td>")
                    .append(EndpointHealthView.state(e))
                    .append("</td><td>")
                    .append(EndpointHealthView.rate(st))
                    .append("</td><td>")
                    .append(EndpointHealthView.ms(st.latencyP50Ms()))
                    .append(" / ")
                    .append(EndpointHealthView.ms(st.latencyP95Ms()))
                    .append("</td><td>")
                    .append(esc(st.attempts()))
                    .append("</td><td>")
                    .append(Charts.volume(
                            "spark-" + e.id().value(), Charts.bucket(samples, now, HEALTH_WINDOW, 24), 120, 28, 0))
                    .append("</td></tr>");
        }
        if (eps.isEmpty()) {
            sb.append("<tr><td colspan=\"7\" class=\"muted\">No endpoints yet.</td></tr>");
        }
        sb.append("</table></div>");
        sb.append(EndpointForm.render(
                s,
                svc.catalog(),
                form,
                "/ui/endpoints",
                "create-endpoint",
                "Create an endpoint",
                "Create endpoint",
                false));
        return Html.page("Endpoints", s, sb.toString());
    }

    void create(Context ctx, UiSessions.Session s) {
        Endpoint e;
        try {
            e = svc.changes().createEndpoint(s.actor(), s.partner(), EndpointForm.parse(ctx, null));
        } catch (InvalidInputException ex) {
            // shown beside the fields, with what was typed kept
            ctx.status(400).html(list(s, EndpointForm.State.posted(ctx, ex)));
            return;
        }
        s.flash("Endpoint " + e.id().value() + " created. Reveal its signing secret below to verify signatures.");
        ctx.redirect("/ui/endpoints/" + Html.q(e.id().value()), HttpStatus.SEE_OTHER);
    }

    // ---- subject filter (issue 16 item 5, ADR 14): self-contained inputs, parsing and view ----

    private static final String[][] FILTER_INPUTS = {
        {SubjectFilter.WORKSPACE_IDS, "Workspace ids"},
        {SubjectFilter.CHANNEL_IDS, "Channel ids"},
        {SubjectFilter.PHONE_NUMBERS, "Phone numbers"}
    };

    /** The endpoint page's line about its filter. */
    static String filterView(SubjectFilter f) {
        StringBuilder sb = new StringBuilder("<p id=\"filter\">Subject filter: ");
        if (f.isEmpty()) {
            return sb.append("<span class=\"muted\">none (every subject)</span></p>")
                    .toString();
        }
        String sep = "";
        for (String[] x : FILTER_INPUTS) {
            if (!f.values(x[0]).isEmpty()) {
                sb.append(sep)
                        .append(esc(x[1]))
                        .append(" <code>")
                        .append(esc(String.join(" ", f.values(x[0]))))
                        .append("</code>");
                sep = " · ";
            }
        }
        return sb.append("</p>").toString();
    }

    String one(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        Endpoint e = svc.endpoints().get(s.partner(), id);
        String base = "/ui/endpoints/" + Html.q(id.value());
        var stats = stats(s, id);
        var samples = stats.samples();
        AttemptStatistics st = stats.figures();
        String statusParam = ctx.queryParam("status");
        DeliveryStatus status = null;
        if (statusParam != null && !statusParam.isEmpty()) {
            try {
                status = DeliveryStatus.fromWire(statusParam);
            } catch (IllegalArgumentException ex) {
                throw new InvalidInputException("status", "must be pending, delivered, failed or superseded");
            }
        }
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.DELIVERY)) {
            throw new InvalidInputException("after", "must be the cursor of a previous page");
        }
        Page<Delivery> page = svc.deliveries().forEndpoint(s.partner(), id, status, RECENT_DELIVERIES, after);

        StringBuilder sb = new StringBuilder();
        sb.append("<p><code>")
                .append(esc(e.url()))
                .append("</code> · ")
                .append(esc(e.description()))
                .append("</p><p>Subscribed to: <code>")
                .append(esc(String.join(" ", e.eventTypes())))
                .append("</code>")
                .append(e.profile().collapse() ? " · collapse on (pending older state events are superseded)" : "")
                .append(
                        e.profile().ordered()
                                ? " · ordered (one delivery per ordering key at a time, in sequence order)"
                                : " · ordering none")
                .append(e.profile().traceContext() ? " · trace context on (each attempt sends its traceparent)" : "")
                .append("</p>")
                .append(filterView(e.filter()))
                .append("<p id=\"settings\">Format <code>")
                .append(esc(e.format()))
                .append("</code> · at most ")
                .append(esc(e.limits().maxInFlight()))
                .append(" in flight · ")
                .append(
                        e.limits().ratePerSecond() == null
                                ? "no rate limit"
                                : esc("at most " + e.limits().ratePerSecond() + " per second"))
                .append(" · custom headers: ")
                .append(
                        e.profile().headers().isEmpty()
                                ? "none"
                                : "<code>"
                                        + esc(String.join(
                                                ", ", e.profile().headers().keySet())) + "</code>")
                .append("</p><div id=\"manage\"><a href=\"")
                .append(esc(base))
                .append("/edit\" id=\"edit-link\">Edit</a> · ")
                .append(
                        e.enabled()
                                ? Html.button(s, base + "/disable", "Disable", "")
                                : Html.button(s, base + "/enable", "Enable", ""))
                .append(" · <a href=\"")
                .append(esc(base))
                .append("/delete\" id=\"delete-link\">Delete…</a></div>");
        sb.append(EndpointHealthView.cards(e, st));

        sb.append("<h2>Attempts in the last 24 hours</h2><div class=\"chartbox\">")
                .append(Charts.volume("chart", Charts.bucket(samples, clock.instant(), HEALTH_WINDOW, 96), 720, 120, 6))
                .append(
                        "</div><p class=\"muted\">Each bar is a quarter of an hour: green succeeded, red failed; times in UTC.</p>");

        sb.append("<h2>Actions</h2><div class=\"cards\">");
        sb.append("<form method=\"post\" action=\"")
                .append(esc(base))
                .append("/test\" id=\"send-test\">")
                .append(Html.csrf(s))
                .append("<label>Send a test event <select name=\"type\">");
        // the first type the endpoint subscribes to is preselected, as the API's default is
        String preselected = svc.catalog().types().stream()
                .map(t -> t.type())
                .filter(e::accepts)
                .findFirst()
                .orElse(null);
        for (var t : svc.catalog().types()) {
            sb.append("<option value=\"")
                    .append(esc(t.type()))
                    .append('"')
                    .append(t.type().equals(preselected) ? " selected" : "")
                    .append('>')
                    .append(esc(t.type()))
                    .append("</option>");
        }
        sb.append("</select></label> <button type=\"submit\">Send test</button></form>");
        sb.append("<form method=\"post\" action=\"")
                .append(esc(base))
                .append("/recover\" id=\"recover\">")
                .append(Html.csrf(s))
                .append("<label>Re-queue failed deliveries since <input name=\"since\" size=\"22\" value=\"")
                .append(esc(Times.format(Times.millis(clock.instant()).minus(Duration.ofHours(24)))))
                .append("\"></label> <button type=\"submit\">Recover</button></form>");
        sb.append("<form method=\"post\" action=\"")
                .append(esc(base))
                .append("/replay\" id=\"replay\">")
                .append(Html.csrf(s))
                .append("<fieldset><legend>Replay…</legend><label>Events created since <input name=\"since\""
                        + " size=\"22\" value=\"")
                .append(esc(Times.format(Times.millis(clock.instant()).minus(Duration.ofHours(24)))))
                .append(
                        "\"></label> <label>until <input name=\"until\" size=\"22\" placeholder=\"now\"></label>"
                                + " <label>only types <input name=\"event_types\" size=\"22\" placeholder=\"all it subscribes to\"></label>"
                                + " <label>which <select name=\"which\"><option value=\"failed\">failed</option>"
                                + "<option value=\"missing\">missing (never sent here)</option><option value=\"all\">all</option>"
                                + "</select></label> <button type=\"submit\">Replay</button><br><span class=\"muted\">At most 31 days;"
                                + " sent in the background, a batch at a time, behind live deliveries.</span></fieldset></form>");
        sb.append(Html.button(s, base + "/secret", "Reveal secret", ""));
        sb.append("<form method=\"post\" action=\"")
                .append(esc(base))
                .append("/secret/rotate\">")
                .append(Html.csrf(s))
                .append(
                        "<label>Old secret keeps signing for <input name=\"overlap_hours\" size=\"3\" value=\"24\"> h</label>")
                .append(" <button type=\"submit\">Rotate secret</button></form></div>");

        sb.append("<h2>Replays</h2>")
                .append(EndpointTables.replayTable(
                        svc.changes().replays().list(s.partner(), id, 10, null).items()));

        sb.append("<h2>Deliveries</h2><p>Show: ");
        for (String f : new String[] {"", "pending", "delivered", "failed", "superseded"}) {
            sb.append("<a href=\"")
                    .append(esc(base + (f.isEmpty() ? "" : "?status=" + f)))
                    .append("\">")
                    .append(f.isEmpty() ? "all" : esc(f))
                    .append("</a> ");
        }
        sb.append("</p>").append(EndpointTables.deliveryTable(page.items()));
        if (page.nextCursor() != null) {
            sb.append("<p><a href=\"")
                    .append(esc(base + "?after=" + Html.q(page.nextCursor())
                            + (status == null ? "" : "&status=" + status.wire())))
                    .append("\">Older deliveries →</a></p>");
        }
        return Html.page("Endpoint " + id.value(), s, sb.toString());
    }

    /** What an attempt got back: its HTTP status, else its error class (the event page and Held show it too). */
    static String answer(Attempt a) {
        return a.httpStatus() != null ? "HTTP " + a.httpStatus() : a.errorClass();
    }
}
