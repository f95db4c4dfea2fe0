package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Map;

/**
 * The event pages: the log ({@link EventLogPage}), one event ({@link EventDetailPage}) and the
 * retry and resend buttons on it; also the field-error line the dashboard's forms share.
 */
final class EventPages {
    private final Dashboard.Services svc;
    private final EventLogPage log;
    private final EventDetailPage detail;

    EventPages(Dashboard.Services svc, Clock clock) {
        this.svc = svc;
        this.log = new EventLogPage(svc, clock);
        this.detail = new EventDetailPage(svc, clock);
    }

    String list(Context ctx, UiSessions.Session s) {
        return log.list(ctx, s);
    }

    String one(Context ctx, UiSessions.Session s) {
        return detail.one(ctx, s);
    }

    /** The error for one field, shown beside it (empty when it has none). */
    static String fieldError(Map<String, String> errors, String field) {
        String why = errors.get(field);
        return why == null
                ? ""
                : " <span class=\"field-error\" id=\"error-" + esc(field) + "\">" + esc(field + " " + why) + "</span>";
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
