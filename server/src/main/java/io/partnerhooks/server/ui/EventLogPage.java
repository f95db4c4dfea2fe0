package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.EventPages.fieldError;
import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.DeliveryCount;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.EventFilter.Outcome;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.DeliveryId;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The event log page: the API's filters read from the query (each error shown beside its field),
 * the find-by-id box, one page of events with their delivery status and endpoints, and paging both
 * ways.
 */
final class EventLogPage {
    static final int PAGE = 50;
    private static final String[] FILTERS = {
        "type", "workspace_id", "channel_id", "phone_number", "since", "until", "status"
    };

    private final Dashboard.Services svc;
    private final Clock clock;

    EventLogPage(Dashboard.Services svc, Clock clock) {
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
}
