package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import java.util.LinkedHashMap;
import java.util.Map;

/** The partner's quota thresholds: list, add, remove; the same use case and audit actions as /v1/thresholds. */
final class ThresholdPages {
    private final Dashboard.Services svc;

    ThresholdPages(Dashboard.Services svc) {
        this.svc = svc;
    }

    String list(Context ctx, UiSessions.Session s) {
        return render(s, Map.of(), null, null);
    }

    private String render(UiSessions.Session s, Map<String, String> errors, String quota, String percent) {
        StringBuilder sb =
                new StringBuilder("<p>A threshold fires a <code>workspace.quota.*</code> event once per billing"
                        + " period when a workspace's use of a quota reaches that share of its limit.</p>");
        sb.append("<table id=\"thresholds\"><tr><th>Quota</th><th>Percent</th><th></th></tr>");
        var all = svc.world().workspaces().thresholds(s.partner());
        for (Threshold t : all) {
            sb.append("<tr><td>")
                    .append(esc(t.quota().wire()))
                    .append("</td><td>")
                    .append(t.percent())
                    .append(" %</td><td>")
                    .append(Html.button(
                            s,
                            "/ui/thresholds/delete",
                            "Delete",
                            "<input type=\"hidden\" name=\"quota\" value=\""
                                    + esc(t.quota().wire()) + "\">" + "<input type=\"hidden\" name=\"percent\" value=\""
                                    + t.percent() + "\">"))
                    .append("</td></tr>");
        }
        if (all.isEmpty()) {
            sb.append("<tr><td colspan=\"3\" class=\"muted\">No thresholds yet.</td></tr>");
        }
        sb.append("</table><form method=\"post\" action=\"/ui/thresholds\" id=\"new-threshold\"><fieldset>")
                .append("<legend>Add a threshold</legend>")
                .append(Html.csrf(s))
                .append("<p><label>Quota <select name=\"quota\">");
        for (Quota q : Quota.values()) {
            sb.append("<option")
                    .append(q.wire().equals(quota) ? " selected" : "")
                    .append('>')
                    .append(esc(q.wire()))
                    .append("</option>");
        }
        sb.append("</select></label>")
                .append(EventPages.fieldError(errors, "quota"))
                .append(
                        "</p><p><label>Percent (1 to 100) <input name=\"percent\" size=\"5\" inputmode=\"numeric\" value=\"")
                .append(esc(percent))
                .append("\"></label>")
                .append(EventPages.fieldError(errors, "percent"))
                .append("</p><button type=\"submit\">Add threshold</button></fieldset></form>");
        return Html.page("Thresholds", s, sb.toString());
    }

    void create(Context ctx, UiSessions.Session s) {
        String quota = ctx.formParam("quota");
        String percentRaw =
                ctx.formParam("percent") == null ? "" : ctx.formParam("percent").strip();
        Threshold t;
        try {
            t = ManageWorkspaces.threshold(quota, parse(percentRaw));
        } catch (InvalidInputException e) {
            ctx.status(400).html(render(s, errors(e), quota, percentRaw));
            return;
        }
        var partner = s.partner();
        boolean added = svc.changes().trail().record(s.actor(), "threshold.create", "threshold", c -> {
            boolean a = svc.world().workspaces().addThreshold(partner, t);
            c.target(t.quota().wire() + ":" + t.percent()).after(view(t));
            if (!a) {
                c.nothingChanged();
            }
            return a;
        });
        s.flash(
                added
                        ? "Threshold " + t.quota().wire() + " at " + t.percent() + " % added."
                        : "There was already a " + t.quota().wire() + " threshold at " + t.percent() + " %.");
        ctx.redirect("/ui/thresholds", HttpStatus.SEE_OTHER);
    }

    void delete(Context ctx, UiSessions.Session s) {
        Threshold t = ManageWorkspaces.threshold(ctx.formParam("quota"), parse(ctx.formParam("percent")));
        var partner = s.partner();
        svc.changes().trail().record(s.actor(), "threshold.delete", "threshold", c -> {
            c.target(t.quota().wire() + ":" + t.percent()).before(view(t));
            svc.world().workspaces().removeThreshold(partner, t);
            return null;
        });
        s.flash("Threshold " + t.quota().wire() + " at " + t.percent() + " % deleted.");
        ctx.redirect("/ui/thresholds", HttpStatus.SEE_OTHER);
    }

    private static Integer parse(String raw) {
        try {
            return raw == null ? null : Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Map<String, String> errors(InvalidInputException e) {
        Map<String, String> m = new LinkedHashMap<>();
        for (InvalidInputException.FieldError fe : e.errors()) {
            m.merge(fe.field(), fe.detail(), (a, b) -> a + "; " + b);
        }
        return m;
    }

    private static ObjectNode view(Threshold t) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("quota", t.quota().wire())
                .put("percent", t.percent());
    }
}
