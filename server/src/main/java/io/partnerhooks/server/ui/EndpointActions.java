package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ReplayEvents;
import io.partnerhooks.core.usecase.SendTestEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The endpoint page's action forms: test event, recover, replay, reveal and rotate the secret; routed by {@link Dashboard}. */
final class EndpointActions {
    private final Dashboard.Services svc;

    EndpointActions(Dashboard.Services svc) {
        this.svc = svc;
    }

    void sendTest(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        String type = ctx.formParam("type");
        SendTestEvent.Sent sent = svc.sendTest().send(s.partner(), id, type == null || type.isBlank() ? null : type);
        s.flash("Test event " + sent.eventId().value() + " (" + sent.type() + ") queued for " + id.value() + ".");
        ctx.redirect("/ui/events/" + Html.q(sent.eventId().value()), HttpStatus.SEE_OTHER);
    }

    void recover(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        Instant since;
        try {
            since = OffsetDateTime.parse(
                            ctx.formParam("since") == null
                                    ? ""
                                    : ctx.formParam("since").strip())
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("since", "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
        int n = svc.changes().recover(s.actor(), s.partner(), id, since);
        s.flash(n + " failed deliveries re-queued.");
        ctx.redirect("/ui/endpoints/" + Html.q(id.value()), HttpStatus.SEE_OTHER);
    }

    void replay(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        var r = svc.changes()
                .replay(
                        s.actor(),
                        s.partner(),
                        id,
                        new ReplayEvents.Request(
                                formTime(ctx, "since"),
                                formTime(ctx, "until"),
                                replayTypes(ctx),
                                ctx.formParam("which")));
        s.flash("Replay " + r.id().value() + " started: " + r.matched() + " events to send again.");
        ctx.redirect("/ui/endpoints/" + Html.q(id.value()), HttpStatus.SEE_OTHER);
    }

    /** The replay's optional narrowing, as the API's {@code event_types}: space or comma separated; null when empty. */
    private static List<String> replayTypes(Context ctx) {
        String raw = ctx.formParam("event_types") == null
                ? ""
                : ctx.formParam("event_types").strip();
        return raw.isEmpty() ? null : List.of(raw.split("[\\s,]+"));
    }

    /** An optional RFC 3339 form field: null when empty. */
    private static Instant formTime(Context ctx, String name) {
        String raw = ctx.formParam(name) == null ? "" : ctx.formParam(name).strip();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
    }

    /** Shown on the POST's own answer (never stored in the session or put in a URL). */
    void revealSecret(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        Endpoint e = svc.endpoints().get(s.partner(), id);
        ctx.html(secretPage(s, e, "Signing secret", e.secret(), null));
    }

    void rotateSecret(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        String raw = ctx.formParam("overlap_hours");
        Integer hours = null;
        if (raw != null && !raw.isBlank()) {
            try {
                hours = Integer.valueOf(raw.strip());
            } catch (NumberFormatException ex) {
                throw new InvalidInputException("overlap_hours", "must be a whole number of hours");
            }
        }
        Endpoint e = svc.changes().rotateSecret(s.actor(), s.partner(), id, hours);
        ctx.html(secretPage(s, e, "New signing secret", e.secret(), e.previousSecretExpiresAt()));
    }

    private static String secretPage(UiSessions.Session s, Endpoint e, String title, String secret, Instant oldUntil) {
        return Html.page(
                title,
                s,
                "<p>Endpoint <a href=\"/ui/endpoints/" + esc(Html.q(e.id().value())) + "\">"
                        + esc(e.id().value()) + "</a></p><pre id=\"secret\">" + esc(secret) + "</pre>"
                        + (oldUntil == null
                                ? ""
                                : "<p>The previous secret keeps signing until " + esc(oldUntil) + ".</p>")
                        + "<p class=\"muted\">Keep it in your receiver's configuration; it verifies the webhook-signature header.</p>");
    }
}
