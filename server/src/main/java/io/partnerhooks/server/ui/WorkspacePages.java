package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.WorkspaceState;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import java.util.List;
import java.util.Set;

/** The partner's workspaces with their plan, seats and each quota's use (read only: the platform sets plans and usage). */
final class WorkspacePages {
    static final int PAGE = 100;

    private final Dashboard.Services svc;

    WorkspacePages(Dashboard.Services svc) {
        this.svc = svc;
    }

    String list(Context ctx, UiSessions.Session s) {
        String after = ctx.queryParam("after");
        if (after != null) {
            ManageWorkspaces.checkWorkspaceId(after, "after");
        }
        ManageWorkspaces ws = svc.world().workspaces();
        List<WorkspaceState> page = ws.list(s.partner(), PAGE + 1, after);
        StringBuilder sb =
                new StringBuilder("<p>Each workspace's plan as the platform reported it, and how much of each"
                        + " quota this billing period has used. Thresholds (see <a href=\"/ui/thresholds\">Thresholds</a>) fire"
                        + " events as use crosses them.</p>");
        sb.append("<table id=\"workspaces\"><tr><th>Workspace</th><th>Seats</th>");
        for (Quota q : Quota.values()) {
            sb.append("<th>").append(esc(q.wire())).append("</th>");
        }
        sb.append("<th>Billing period</th><th>Fired this period</th></tr>");
        for (WorkspaceState w : page.subList(0, Math.min(PAGE, page.size()))) {
            sb.append("<tr id=\"")
                    .append(esc(w.workspaceId()))
                    .append("\"><td><code>")
                    .append(esc(w.workspaceId()))
                    .append("</code></td><td>")
                    .append(w.seatsUsed())
                    .append(" / ")
                    .append(w.seatsPurchased())
                    .append("</td>");
            for (Quota q : Quota.values()) {
                long pct = w.utilizationPct(q);
                sb.append("<td><span class=\"")
                        .append(pct >= 100 ? "bad" : pct >= 80 ? "state-cooldown" : "ok")
                        .append("\">")
                        .append(pct)
                        .append(" %</span><br><span class=\"muted\">")
                        .append(w.used(q))
                        .append(" of ")
                        .append(w.limit(q))
                        .append("</span></td>");
            }
            Set<String> fired = ws.firedThisPeriod(w);
            sb.append("<td>")
                    .append(esc(w.periodStart()))
                    .append(" →<br>")
                    .append(esc(w.periodEnd()))
                    .append("</td><td>")
                    .append(
                            fired.isEmpty()
                                    ? "<span class=\"muted\">none</span>"
                                    : esc(String.join(
                                            ", ", fired.stream().sorted().toList())))
                    .append("</td></tr>");
        }
        if (page.isEmpty()) {
            sb.append("<tr><td colspan=\"")
                    .append(4 + Quota.values().length)
                    .append(
                            "\" class=\"muted\">No workspaces yet: the platform adds them when it sets a plan.</td></tr>");
        }
        sb.append("</table>");
        if (page.size() > PAGE) {
            sb.append(
                            "<nav class=\"pager\"><a id=\"first\" href=\"/ui/workspaces\">« First</a><a id=\"older\" href=\"/ui/workspaces?after=")
                    .append(esc(Html.q(page.get(PAGE - 1).workspaceId())))
                    .append("\">More →</a></nav>");
        }
        return Html.page("Workspaces", s, sb.toString());
    }
}
