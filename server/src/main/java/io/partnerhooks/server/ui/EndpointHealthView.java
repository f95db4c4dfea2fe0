package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.partnerhooks.core.delivery.AttemptStatistics;
import io.partnerhooks.core.domain.Endpoint;
import java.util.Locale;

/**
 * How an endpoint's health reads on its pages: its state (with why it is disabled or cooling down),
 * its success rate and latencies (list cells), and the detail page's row of cards.
 */
final class EndpointHealthView {
    private EndpointHealthView() {}

    static String state(Endpoint e) {
        StringBuilder sb = new StringBuilder("<span class=\"state-")
                .append(esc(e.state()))
                .append("\">")
                .append(esc(e.state()))
                .append("</span>");
        if (!e.enabled()) {
            sb.append("<br><span class=\"muted\">")
                    .append(esc(
                            e.health().disabledReason() != null
                                    ? e.health().disabledReason()
                                    : "disabled by the partner"))
                    .append("</span>");
        } else if (e.health().inCooldown()) {
            sb.append("<br><span class=\"muted\">")
                    .append(esc(e.health().consecutiveFailures()))
                    .append(" failures in a row; next probe ")
                    .append(esc(e.health().probeAfter()))
                    .append("</span>");
        }
        return sb.toString();
    }

    static String rate(AttemptStatistics st) {
        return st.successRate() == null
                ? "<span class=\"muted\">no attempts</span>"
                : esc(String.format(Locale.ROOT, "%.1f %%", st.successRate() * 100));
    }

    static String ms(Long v) {
        return v == null ? "–" : esc(v + " ms");
    }

    /** The detail page's cards: state, success, latencies, attempts and failures by class. */
    static String cards(Endpoint e, AttemptStatistics st) {
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"cards\" id=\"health\"><div class=\"card\">State<b>")
                .append(state(e))
                .append("</b></div><div class=\"card\">Success (24 h)<b>")
                .append(rate(st))
                .append("</b></div><div class=\"card\">Latency p50<b>")
                .append(ms(st.latencyP50Ms()))
                .append("</b></div><div class=\"card\">Latency p95<b>")
                .append(ms(st.latencyP95Ms()))
                .append("</b></div><div class=\"card\">Attempts (24 h)<b>")
                .append(esc(st.attempts()))
                .append("</b></div><div class=\"card\">Failures by class<b style=\"font-size:13px\">");
        if (st.failuresByClass().isEmpty()) {
            sb.append("none");
        }
        st.failuresByClass()
                .forEach((k, v) -> sb.append(esc(k)).append(": ").append(esc(v)).append("<br>"));
        sb.append("</b></div></div>");
        return sb.toString();
    }
}
