package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log ({@code /ui/audit}) with the API's filters (action, since, until) and cursor paging.
 * A partner sees the entries about its own resources; the operator sees everyone's, or one
 * partner's (the one picked on the partner list, or {@code partner_id} in the form; empty = all).
 * The states are shown as kept: already masked when the row was written.
 */
final class AuditPage {
    static final int PAGE = 50;

    private final AuditTrail audit;

    AuditPage(AuditTrail audit) {
        this.audit = audit;
    }

    String render(Context ctx, UiSessions.Session s) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String name : new String[] {"action", "since", "until"}) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isBlank()) {
                f.put(name, v.strip());
            }
        }
        List<FieldError> errors = new ArrayList<>();
        String action = f.get("action");
        if (action != null && !action.matches("[a-z_]{1,50}\\.[a-z_]{1,50}")) {
            errors.add(new FieldError("action", "must be an action such as endpoint.update"));
        }
        Instant since = time(f.get("since"), "since", errors);
        Instant until = time(f.get("until"), "until", errors);
        if (since != null && until != null && !since.isBefore(until)) {
            errors.add(new FieldError("until", "must be later than since"));
        }
        String after = ctx.queryParam("after");
        if (after != null && !after.matches("[0-9]{1,18}")) {
            errors.add(new FieldError("after", "must be the cursor of a previous page"));
        }
        // whose entries: a partner only ever its own; the operator everyone's or one partner's
        PartnerId scope = s.operator() ? null : s.partner();
        if (s.operator()) {
            String raw = ctx.queryParam("partner_id");
            if (raw == null) {
                scope = s.partner();
            } else if (!raw.isBlank()) {
                if (Ids.looksLike(raw.strip(), Ids.PARTNER)) {
                    scope = new PartnerId(raw.strip());
                } else {
                    errors.add(
                            new FieldError("partner_id", "must be a partner id (ptn_...) or empty for every partner"));
                }
            }
            f.put("partner_id", scope == null ? "" : scope.value());
        }

        StringBuilder sb = new StringBuilder("<form method=\"get\" action=\"/ui/audit\" id=\"audit-filters\"><fieldset>"
                + "<legend>Filters</legend>");
        String[][] inputs = {
            {"action", "Action (e.g. endpoint.update)"}, {"since", "Since (RFC 3339)"}, {"until", "Until (RFC 3339)"}
        };
        for (String[] in : inputs) {
            sb.append("<label>")
                    .append(esc(in[1]))
                    .append(" <input name=\"")
                    .append(in[0])
                    .append("\" size=\"22\" value=\"")
                    .append(esc(f.get(in[0])))
                    .append("\"></label> ");
        }
        if (s.operator()) {
            sb.append("<label>Partner id (empty: every partner) <input name=\"partner_id\" size=\"30\" value=\"")
                    .append(esc(f.get("partner_id")))
                    .append("\"></label> ");
        }
        sb.append("<button type=\"submit\">Apply</button> <a href=\"/ui/audit\">clear</a></fieldset></form>");
        if (!errors.isEmpty()) {
            ctx.status(400);
            sb.append("<div class=\"error\" role=\"alert\">")
                    .append(esc(Dashboard.problems(new InvalidInputException(errors))))
                    .append("</div>");
            return Html.page("Audit log", s, sb.toString());
        }

        AuditFilter filter = new AuditFilter(action, since, until);
        Page<AuditEntry> page =
                scope == null ? audit.listAll(filter, PAGE, after) : audit.list(scope, filter, PAGE, after);
        sb.append("<p class=\"muted\">Every change made through the API, the settings routes and this dashboard;"
                        + " secrets and header values are masked.")
                .append(
                        s.operator()
                                ? (scope == null
                                        ? " Showing every partner."
                                        : " Showing partner " + esc(scope.value()) + ".")
                                : "")
                .append("</p>");
        sb.append("<table id=\"audit\"><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th>")
                .append(s.operator() ? "<th>Partner</th>" : "")
                .append("<th>Before → after</th></tr>");
        for (AuditEntry e : page.items()) {
            sb.append("<tr><td>")
                    .append(esc(e.createdAt()))
                    .append("</td><td>")
                    .append(esc(e.actorType() + (e.actorId() == null ? "" : " " + e.actorId())))
                    .append("</td><td><code class=\"action\">")
                    .append(esc(e.action()))
                    .append("</code></td><td>")
                    .append(esc(e.targetType()))
                    .append(" <code>")
                    .append(esc(e.targetId()))
                    .append("</code></td>");
            if (s.operator()) {
                sb.append("<td><code>").append(esc(e.partnerId())).append("</code></td>");
            }
            sb.append("<td><details><summary>states</summary>")
                    .append(Html.pre("before: " + (e.beforeJson() == null ? "–" : e.beforeJson())))
                    .append(Html.pre("after: " + (e.afterJson() == null ? "–" : e.afterJson())))
                    .append("</details></td></tr>");
        }
        if (page.items().isEmpty()) {
            sb.append("<tr><td colspan=\"6\" class=\"muted\">No entries match.</td></tr>");
        }
        sb.append("</table>");
        if (page.nextCursor() != null) {
            StringBuilder next = new StringBuilder("/ui/audit?after=" + Html.q(page.nextCursor()));
            f.forEach((k, v) -> next.append('&').append(k).append('=').append(Html.q(v)));
            sb.append("<p><a id=\"older\" href=\"").append(esc(next)).append("\">Older entries →</a></p>");
        }
        return Html.page("Audit log", s, sb.toString());
    }

    private static Instant time(String v, String field, List<FieldError> errors) {
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z"));
            return null;
        }
    }
}
