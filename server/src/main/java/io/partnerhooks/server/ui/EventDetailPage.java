package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.partnerhooks.core.delivery.AttemptMaker;
import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One event's page: its payload, then each delivery with why it waits (if it does), its retry and
 * resend buttons, a timeline of its attempts and every attempt's request and response.
 */
final class EventDetailPage {
    private final Dashboard.Services svc;
    private final Clock clock;

    EventDetailPage(Dashboard.Services svc, Clock clock) {
        this.svc = svc;
        this.clock = clock;
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
}
