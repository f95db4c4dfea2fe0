package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Replay;
import java.util.List;

/** The tables of an endpoint's page: its replays with their progress, and a page of its deliveries. */
final class EndpointTables {
    private EndpointTables() {}

    static String replayTable(List<Replay> rs) {
        StringBuilder sb = new StringBuilder(
                "<div class=\"scroll\"><table id=\"replays\"><tr><th>Replay</th><th>Which</th><th>Window</th>"
                        + "<th>State</th><th>Matched</th><th>Queued</th><th>Delivered</th><th>Failed</th><th>Pending</th>"
                        + "<th>Asked</th></tr>");
        for (var r : rs) {
            sb.append("<tr><td><code>")
                    .append(esc(r.id().value()))
                    .append("</code></td><td>")
                    .append(esc(r.which().wire()))
                    .append(
                            r.eventTypes() == null
                                    ? ""
                                    : "<br><code>" + esc(String.join(" ", r.eventTypes())) + "</code>")
                    .append("</td><td>")
                    .append(esc(r.since()))
                    .append(" – ")
                    .append(esc(r.until()))
                    .append("</td><td class=\"replay-state\">")
                    .append(esc(r.state().wire()))
                    .append("</td><td>")
                    .append(esc(r.matched()))
                    .append("</td><td>")
                    .append(esc(r.queued()))
                    .append("</td><td>")
                    .append(esc(r.delivered()))
                    .append("</td><td>")
                    .append(esc(r.failed()))
                    .append("</td><td>")
                    .append(esc(r.pending()))
                    .append("</td><td>")
                    .append(esc(r.createdAt()))
                    .append("</td></tr>");
        }
        if (rs.isEmpty()) {
            sb.append("<tr><td colspan=\"10\" class=\"muted\">No replays.</td></tr>");
        }
        return sb.append("</table></div>").toString();
    }

    static String deliveryTable(List<Delivery> ds) {
        StringBuilder sb = new StringBuilder(
                "<div class=\"scroll\"><table class=\"deliveries\"><tr><th>Delivery</th><th>Event</th><th>Status</th>"
                        + "<th>Attempts</th><th>Last answer</th><th>Created</th></tr>");
        for (Delivery d : ds) {
            Attempt last = d.attempts().isEmpty()
                    ? null
                    : d.attempts().get(d.attempts().size() - 1);
            sb.append("<tr><td><code>")
                    .append(esc(d.id().value()))
                    .append("</code></td><td><a href=\"/ui/events/")
                    .append(esc(Html.q(d.eventId().value())))
                    .append("\">")
                    .append(esc(d.eventId().value()))
                    .append("</a></td><td>")
                    .append(esc(d.status().wire()))
                    .append(
                            d.heldBy() == null
                                    ? ""
                                    : " (held by " + esc(d.heldBy().value()) + ")")
                    .append("</td><td>")
                    .append(esc(d.attemptCount()))
                    .append("</td><td>")
                    .append(last == null ? "–" : esc(EndpointPages.answer(last)))
                    .append("</td><td>")
                    .append(esc(d.createdAt()))
                    .append("</td></tr>");
        }
        if (ds.isEmpty()) {
            sb.append("<tr><td colspan=\"6\" class=\"muted\">No deliveries.</td></tr>");
        }
        return sb.append("</table></div>").toString();
    }
}
