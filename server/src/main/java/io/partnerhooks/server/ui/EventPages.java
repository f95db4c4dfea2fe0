package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.delivery.AttemptMaker;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryCount;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.EventFilter.Outcome;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The event log with the API's filters, and one event with its deliveries and every attempt. */
final class EventPages {
    static final int PAGE = 50;
    private static final String[] FILTERS = {
        "type", "workspace_id", "channel_id", "phone_number", "since", "until", "status"
    };

    private final Dashboard.Services svc;
    private final Clock clock;

    EventPages(Dashboard.Services svc, Clock clock) {
        this.svc = svc;
        this.clock = clock;
    }

    String list(Context ctx, UiSessions.Session s) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String name : FILTERS) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isBlank()) {
                f.put(name, v.strip());
            }
        }
        String after = ctx.queryParam("after");
        String before = ctx.queryParam("before");
        String find =
                ctx.queryParam("find") == null ? null : ctx.queryParam("find").strip();
        Map<String, String> errors = new LinkedHashMap<>();
        if (find != null && !find.isEmpty()) {
            // search by id: an event id opens the event, a delivery id opens its event at the delivery
            if (Ids.looksLike(find, Ids.EVENT)) {
                if (svc.events().find(s.partner(), new EventId(find)).isPresent()) {
                    ctx.redirect("/ui/events/" + Html.q(find), HttpStatus.SEE_OTHER);
                    return "";
                }
            } else if (Ids.looksLike(find, Ids.DELIVERY)) {
                var d = svc.deliveries().find(s.partner(), new DeliveryId(find));
                if (d.isPresent()) {
                    ctx.redirect(
                            "/ui/events/" + Html.q(d.get().eventId().value()) + "#" + Html.q(find),
                            HttpStatus.SEE_OTHER);
                    return "";
                }
            }
            errors.put(
                    "find",
                    Ids.looksLike(find, Ids.EVENT) || Ids.looksLike(find, Ids.DELIVERY)
                            ? "no event or delivery " + find + " of yours"
                            : "must be an event id (evt_...) or a delivery id (dlv_...)");
        }
        String type = f.get("type");
        if (type != null) {
            EventTypeFilter.checkPattern(type)
                    .ifPresent(why -> errors.put("type", "must be an event type, a prefix ending in .*, or *"));
        }
        Instant since = time(f.get("since"), "since", errors);
        Instant until = time(f.get("until"), "until", errors);
        String status = f.get("status");
        Outcome outcome = null;
        if (status != null) {
            outcome = Outcome.fromWire(status).orElse(null);
            if (outcome == null) {
                errors.put("status", "must be delivered, pending, failed, superseded, mixed, none or empty");
            }
        }
        for (String subject : new String[] {"workspace_id", "channel_id", "phone_number"}) {
            String v = f.get(subject);
            if (v != null && v.length() > 128) {
                errors.put(subject, "must be 1 to 128 characters");
            }
        }
        if (after != null && !Ids.looksLike(after, Ids.EVENT)) {
            errors.put("after", "must be the cursor of a previous page");
        }
        if (before != null && !Ids.looksLike(before, Ids.EVENT)) {
            errors.put("before", "must be the cursor of a previous page");
        }

        StringBuilder sb = new StringBuilder(
                        "<form method=\"get\" action=\"/ui/events\" id=\"search\"><fieldset>"
                                + "<legend>Find by id</legend><label>Event or delivery id <input name=\"find\" size=\"30\" value=\"")
                .append(esc(find))
                .append("\" placeholder=\"evt_... or dlv_...\"></label> <button type=\"submit\">Find</button>")
                .append(fieldError(errors, "find"))
                .append("</fieldset></form>");
        sb.append("<form method=\"get\" action=\"/ui/events\" id=\"filters\"><fieldset><legend>Filters</legend>");
        String[][] inputs = {
            {"type", "Type (a.b.c, prefix.* or *)"},
            {"workspace_id", "Workspace id"},
            {"channel_id", "Channel id"},
            {"phone_number", "Phone number"},
            {"since", "Since (RFC 3339)"},
            {"until", "Until (RFC 3339)"}
        };
        for (String[] in : inputs) {
            sb.append("<label>")
                    .append(esc(in[1]))
                    .append(" <input name=\"")
                    .append(in[0])
                    .append("\" size=\"18\" value=\"")
                    .append(esc(f.get(in[0])))
                    .append("\"></label>")
                    .append(fieldError(errors, in[0]))
                    .append(' ');
        }
        sb.append("<label>Delivery status <select name=\"status\"><option value=\"\">any</option>");
        for (Outcome o : Outcome.values()) {
            sb.append("<option value=\"")
                    .append(o.wire())
                    .append('"')
                    .append(o == outcome ? " selected" : "")
                    .append('>')
                    .append(esc(OUTCOME_LABEL.get(o)))
                    .append("</option>");
        }
        sb.append("</select></label>")
                .append(fieldError(errors, "status"))
                .append(" <button type=\"submit\">Apply</button> <a href=\"/ui/events\">clear</a></fieldset></form>");
        // quick filters, one per status
        sb.append("<p class=\"quick\" id=\"status-filters\">Show: <a href=\"")
                .append(esc(link(f, "status", null)))
                .append("\">all</a>");
        for (Outcome o : Outcome.values()) {
            sb.append(" · <a href=\"")
                    .append(esc(link(f, "status", o.wire())))
                    .append("\"")
                    .append(o == outcome ? " aria-current=\"true\"" : "")
                    .append(">")
                    .append(o.wire())
                    .append("</a>");
        }
        sb.append("</p>");
        if (!errors.isEmpty()) {
            ctx.status(400);
            sb.append("<div class=\"error\" role=\"alert\">")
                    .append(esc(Dashboard.problems(new InvalidInputException(errors.entrySet().stream()
                            .map(e -> new InvalidInputException.FieldError(e.getKey(), e.getValue()))
                            .toList()))))
                    .append("</div>");
            return Html.page("Event log", s, sb.toString());
        }
        EventFilter filter = new EventFilter(
                type, since, until, false, f.get("workspace_id"), f.get("channel_id"), f.get("phone_number"), outcome);
        Page<Event> page = before != null
                ? svc.events().listNewer(s.partner(), filter, PAGE, before)
                : svc.events().list(s.partner(), filter, PAGE, after);
        Map<String, String> names = endpointNames(s);
        Instant now = clock.instant();
        sb.append("<table id=\"events\"><tr><th>Event</th><th>Type</th><th>Delivery status</th><th>Endpoints</th>"
                + "<th>Subject</th><th>Seq</th><th>Created</th></tr>");
        // one query for the page's delivery statuses (not each event's deliveries with their attempts)
        Map<EventId, List<DeliveryCount>> counts = new HashMap<>();
        for (DeliveryCount c : svc.events()
                .deliveryCounts(
                        s.partner(), page.items().stream().map(Event::id).toList())) {
            counts.computeIfAbsent(c.event(), k -> new ArrayList<>()).add(c);
        }
        for (Event e : page.items()) {
            List<DeliveryCount> cs = counts.getOrDefault(e.id(), List.of());
            Outcome o = Outcome.of(cs.stream().map(DeliveryCount::status).toList());
            sb.append("<tr><td><a href=\"/ui/events/")
                    .append(esc(Html.q(e.id().value())))
                    .append("\">")
                    .append(esc(e.id().value()))
                    .append("</a>")
                    .append(e.test() ? " <span class=\"muted\">test</span>" : "")
                    .append("</td><td>")
                    .append(esc(e.type()))
                    .append("</td><td><span class=\"outcome outcome-")
                    .append(o.wire())
                    .append("\" title=\"")
                    .append(esc(counts(cs)))
                    .append("\">")
                    .append(o.wire())
                    .append("</span></td><td>");
            Set<String> seen = new TreeSet<>();
            for (DeliveryCount c : cs) {
                seen.add(c.endpoint().value());
            }
            boolean first = true;
            for (String ep : seen) {
                sb.append(first ? "" : "<br>")
                        .append("<a href=\"/ui/endpoints/")
                        .append(esc(Html.q(ep)))
                        .append("\" title=\"")
                        .append(esc(ep))
                        .append("\">")
                        .append(esc(names.getOrDefault(ep, ep)))
                        .append("</a>");
                first = false;
            }
            sb.append("</td><td><code>")
                    .append(esc(e.subjectJson()))
                    .append("</code></td><td>")
                    .append(esc(e.sequence()))
                    .append("</td><td>")
                    .append(Html.relative(now, e.createdAt()))
                    .append("</td></tr>");
        }
        if (page.items().isEmpty()) {
            sb.append("<tr><td colspan=\"7\" class=\"muted\">No events match.</td></tr>");
        }
        sb.append("</table>");
        // Paging both ways: "newer" walks up from the top row, "older" down from the bottom row.
        boolean hasNewer = before != null ? page.nextCursor() != null : after != null;
        boolean hasOlder = before != null ? !page.items().isEmpty() : page.nextCursor() != null;
        sb.append("<nav class=\"pager\" aria-label=\"pages\">");
        if (after != null || before != null) {
            sb.append("<a id=\"first\" href=\"")
                    .append(esc(link(f, null, null)))
                    .append("\">« Newest</a> ");
        }
        if (hasNewer && !page.items().isEmpty()) {
            sb.append("<a id=\"newer\" href=\"")
                    .append(esc(link(f, "before", page.items().get(0).id().value())))
                    .append("\">← Newer events</a> ");
        }
        if (hasOlder && !page.items().isEmpty()) {
            sb.append("<a id=\"older\" href=\"")
                    .append(esc(link(
                            f,
                            "after",
                            page.items().get(page.items().size() - 1).id().value())))
                    .append("\">Older events →</a>");
        }
        sb.append("</nav>");
        return Html.page("Event log", s, sb.toString());
    }

    static final Map<Outcome, String> OUTCOME_LABEL = Map.of(
            Outcome.DELIVERED, "delivered (every delivery)",
            Outcome.PENDING, "pending (every delivery still due)",
            Outcome.FAILED, "failed (every delivery)",
            Outcome.SUPERSEDED, "superseded (every delivery)",
            Outcome.MIXED, "mixed (deliveries differ)",
            Outcome.NONE, "none (no endpoint subscribed)");

    /** The log's address with these filters and one more parameter (null: none). */
    private static String link(Map<String, String> f, String name, String value) {
        StringBuilder sb = new StringBuilder("/ui/events");
        char sep = '?';
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (e.getKey().equals(name)) {
                continue;
            }
            sb.append(sep).append(e.getKey()).append('=').append(Html.q(e.getValue()));
            sep = '&';
        }
        if (name != null && value != null) {
            sb.append(sep).append(name).append('=').append(Html.q(value));
        }
        return sb.toString();
    }

    /** "2 delivered, 1 failed": the hover text of the status column. */
    private static String counts(List<DeliveryCount> cs) {
        Map<String, Integer> n = new TreeMap<>();
        for (DeliveryCount c : cs) {
            n.merge(c.status().wire(), c.count(), Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        n.forEach((k, v) ->
                sb.append(sb.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
        return sb.isEmpty() ? "no deliveries" : sb.toString();
    }

    /** Endpoint id → what a person calls it: its description, else its URL. */
    Map<String, String> endpointNames(UiSessions.Session s) {
        Map<String, String> names = new HashMap<>();
        for (var e : svc.endpoints().list(s.partner())) {
            names.put(
                    e.id().value(), e.description() != null && !e.description().isBlank() ? e.description() : e.url());
        }
        return names;
    }

    /** The error for one field, shown beside it (empty when it has none). */
    static String fieldError(Map<String, String> errors, String field) {
        String why = errors.get(field);
        return why == null
                ? ""
                : " <span class=\"field-error\" id=\"error-" + esc(field) + "\">" + esc(field + " " + why) + "</span>";
    }

    private static Instant time(String v, String field, Map<String, String> errors) {
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            errors.put(field, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
            return null;
        }
    }

    String one(Context ctx, UiSessions.Session s) {
        String raw = ctx.pathParam("id");
        if (!Ids.looksLike(raw, Ids.EVENT)) {
            throw new NotFoundException("id", "no event " + raw);
        }
        EventId id = new EventId(raw);
        var found = svc.events().withDeliveries(s.partner(), id);
        Event e = found.event();
        List<Delivery> ds = found.deliveries();
        Instant now = clock.instant();
        StringBuilder sb = new StringBuilder();
        sb.append("<p>Type <code>")
                .append(esc(e.type()))
                .append("</code> · sequence ")
                .append(esc(e.sequence()))
                .append(" · created ")
                .append(Html.ago(now, e.createdAt()))
                .append(e.test() ? " · <strong>test event</strong>" : "")
                .append(" · <a href=\"/ui/events/")
                .append(esc(Html.q(raw)))
                .append("\" id=\"refresh\">refresh</a></p>");
        sb.append("<section id=\"payload\">")
                .append(Html.body("Subject", e.subjectJson()))
                .append(Html.body("Data", e.dataJson()))
                .append("</section>");
        sb.append("<h2>Deliveries</h2>");
        if (ds.isEmpty()) {
            sb.append("<p class=\"muted\">No endpoint subscribed to this event.</p>");
        }
        Map<EndpointId, Endpoint> endpoints = new LinkedHashMap<>();
        for (Delivery d : ds) {
            Endpoint ep = endpoints.computeIfAbsent(d.endpointId(), k -> {
                try {
                    return svc.endpoints().get(s.partner(), k);
                } catch (NotFoundException gone) {
                    return null;
                }
            });
            delivery(sb, s, raw, d, ep, now);
        }
        return Html.page("Event " + raw, s, sb.toString());
    }

    private void delivery(
            StringBuilder sb, UiSessions.Session s, String eventId, Delivery d, Endpoint ep, Instant now) {
        String name = ep == null
                ? d.endpointId().value() + " (deleted)"
                : ep.description() == null || ep.description().isBlank() ? ep.url() : ep.description();
        sb.append("<section class=\"delivery\" id=\"")
                .append(esc(d.id().value()))
                .append("\"><h3><code>")
                .append(esc(d.id().value()))
                .append("</code> → <a href=\"/ui/endpoints/")
                .append(esc(Html.q(d.endpointId().value())))
                .append("\">")
                .append(esc(name))
                .append("</a> · <span class=\"status\">")
                .append(esc(d.status().wire()))
                .append("</span></h3>");
        if (d.status() == DeliveryStatus.PENDING) {
            sb.append("<p class=\"held\" id=\"held-")
                    .append(esc(d.id().value()))
                    .append("\">")
                    .append(Held.explain(d, ep, now))
                    .append("</p>");
        }
        if (d.status() == DeliveryStatus.SUPERSEDED && d.supersededBy() != null) {
            sb.append("<p class=\"muted\">Superseded: the message's status <b>")
                    .append(esc(d.supersededBy()))
                    .append("</b> was already relayed to this monotonic webhook; not sent.</p>");
        } else if (d.status() == DeliveryStatus.SUPERSEDED) {
            sb.append(
                    "<p class=\"muted\">Superseded by a newer event of the same type and ordering key; not sent.</p>");
        }
        String back = "<input type=\"hidden\" name=\"back\" value=\"/ui/events/" + esc(Html.q(eventId)) + "\">";
        if (d.status() != DeliveryStatus.DELIVERED) {
            sb.append(Html.button(s, "/ui/deliveries/" + Html.q(d.id().value()) + "/retry", "Retry now", back));
        }
        if (d.status() != DeliveryStatus.PENDING) {
            sb.append(Html.button(s, "/ui/deliveries/" + Html.q(d.id().value()) + "/resend", "Resend", back));
        }
        sb.append(timeline(d, now));
        for (Attempt a : d.attempts()) {
            boolean ok = a.httpStatus() != null && a.httpStatus() / 100 == 2;
            sb.append("<div class=\"attempt ")
                    .append(ok ? "ok" : "bad")
                    .append("\" id=\"")
                    .append(esc(a.id().value()))
                    .append("\"><h4>Attempt ")
                    .append(esc(a.number()))
                    .append(": <span class=\"answer\">")
                    .append(esc(EndpointPages.answer(a)))
                    .append("</span> in ")
                    .append(esc(a.durationMs()))
                    .append(" ms · ")
                    .append(Html.ago(now, a.attemptedAt()))
                    .append("</h4>");
            if (a.errorClass() != null) {
                sb.append("<p>Error class: <code>").append(esc(a.errorClass())).append("</code></p>");
            }
            StringBuilder headers = new StringBuilder();
            a.requestHeaders()
                    .forEach((k, v) -> headers.append(k)
                            .append(": ")
                            .append(
                                    AttemptMaker.SIGNATURE_HEADERS.contains(k.toLowerCase(Locale.ROOT))
                                            ? AttemptMaker.maskSignature(v)
                                            : v)
                            .append('\n'));
            sb.append("<details><summary>Request sent</summary>")
                    .append(Html.pre(headers.isEmpty() ? "(not recorded)" : headers.toString()))
                    // as sent, byte for byte: it is what the signature covers; the formatted copy is for reading
                    .append(Html.pre(a.requestBody() == null ? "(not recorded)" : a.requestBody()))
                    .append(a.requestBody() == null ? "" : Html.body("Body, formatted", a.requestBody()))
                    .append("</details>")
                    .append(
                            a.responseExcerpt() == null || a.responseExcerpt().isEmpty()
                                    ? "<p class=\"muted\">Empty response.</p>"
                                    : Html.body("Response excerpt", a.responseExcerpt()))
                    .append("</div>");
        }
        sb.append("</section>");
    }

    /** One row per attempt (status, duration, when), then the next attempt if one is due. */
    private static String timeline(Delivery d, Instant now) {
        StringBuilder sb =
                new StringBuilder("<div class=\"scroll\"><table class=\"timeline\"><tr><th>#</th><th>When</th>"
                        + "<th>Answer</th><th>Duration</th></tr>");
        for (Attempt a : d.attempts()) {
            boolean ok = a.httpStatus() != null && a.httpStatus() / 100 == 2;
            sb.append("<tr><td>")
                    .append(esc(a.number()))
                    .append("</td><td>")
                    .append(Html.ago(now, a.attemptedAt()))
                    .append("</td><td class=\"")
                    .append(ok ? "ok" : "bad")
                    .append("\">")
                    .append(esc(EndpointPages.answer(a)))
                    .append("</td><td>")
                    .append(esc(a.durationMs() + " ms"))
                    .append("</td></tr>");
        }
        if (d.attempts().isEmpty()) {
            sb.append("<tr><td colspan=\"4\" class=\"muted\">No attempt yet.</td></tr>");
        }
        if (d.status() == DeliveryStatus.PENDING) {
            sb.append("<tr class=\"next\"><td>")
                    .append(esc(d.attemptCount() + 1))
                    .append("</td><td>")
                    .append(
                            d.heldBy() != null || d.nextAttemptAt() == null
                                    ? "when the earlier delivery is settled"
                                    : Html.ago(now, d.nextAttemptAt()))
                    .append("</td><td class=\"muted\" colspan=\"2\">next attempt</td></tr>");
        }
        return sb.append("</table></div>").toString();
    }

    void resend(Context ctx, UiSessions.Session s) {
        String raw = ctx.pathParam("id");
        var fresh = svc.changes().resend(s.actor(), s.partner(), raw);
        s.flash("Delivery " + raw + " resent as " + fresh.value() + ".");
        String back = ctx.formParam("back");
        ctx.redirect(
                back != null && back.matches("/ui/events/evt_[0-9A-Za-z]{1,64}") ? back : "/ui/events",
                HttpStatus.SEE_OTHER);
    }

    void retry(Context ctx, UiSessions.Session s) {
        String raw = ctx.pathParam("id");
        svc.changes().retry(s.actor(), s.partner(), raw);
        s.flash("Delivery " + raw + " queued for a new attempt.");
        String back = ctx.formParam("back");
        ctx.redirect(
                back != null && back.matches("/ui/events/evt_[0-9A-Za-z]{1,64}") ? back : "/ui/events",
                HttpStatus.SEE_OTHER);
    }
}
