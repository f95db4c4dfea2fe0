package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.usecase.EndpointChange;
import io.partnerhooks.core.usecase.ManageEndpoints;

/** Editing one endpoint, switching it on and off, deleting it (issue 17 item 1); routed by {@link Dashboard}. */
final class EndpointEditPages {
    private final Dashboard.Services svc;

    EndpointEditPages(Dashboard.Services svc) {
        this.svc = svc;
    }

    String editForm(Context ctx, UiSessions.Session s) {
        Endpoint e = svc.endpoints().get(s.partner(), ManageEndpoints.parseId(ctx.pathParam("id")));
        return editPage(s, e, EndpointForm.State.of(e));
    }

    private String editPage(UiSessions.Session s, Endpoint e, EndpointForm.State form) {
        String base = "/ui/endpoints/" + Html.q(e.id().value());
        return Html.page(
                "Edit endpoint " + e.id().value(),
                s,
                "<p><a href=\"" + esc(base) + "\">← back to the endpoint</a></p>"
                        + EndpointForm.render(
                                s,
                                svc.catalog(),
                                form,
                                base + "/edit",
                                "edit-endpoint",
                                "Edit the endpoint",
                                "Save changes",
                                true));
    }

    void edit(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        Endpoint old = svc.endpoints().get(s.partner(), id);
        try {
            svc.changes().updateEndpoint(s.actor(), s.partner(), id, EndpointForm.parse(ctx, old));
        } catch (InvalidInputException ex) {
            ctx.status(400).html(editPage(s, old, EndpointForm.State.posted(ctx, ex)));
            return;
        }
        s.flash("Endpoint " + id.value() + " saved.");
        ctx.redirect("/ui/endpoints/" + Html.q(id.value()), HttpStatus.SEE_OTHER);
    }

    void enable(Context ctx, UiSessions.Session s) {
        setEnabled(ctx, s, true);
    }

    void disable(Context ctx, UiSessions.Session s) {
        setEnabled(ctx, s, false);
    }

    private void setEnabled(Context ctx, UiSessions.Session s, boolean on) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        svc.changes().updateEndpoint(s.actor(), s.partner(), id, new EndpointChange(null, null, null, on));
        s.flash(
                on
                        ? "Endpoint " + id.value()
                                + " enabled: deliveries resume, and those that failed while it was off go out again."
                        : "Endpoint " + id.value() + " disabled: nothing is sent to it until it is enabled again.");
        ctx.redirect("/ui/endpoints/" + Html.q(id.value()), HttpStatus.SEE_OTHER);
    }

    String deleteForm(Context ctx, UiSessions.Session s) {
        Endpoint e = svc.endpoints().get(s.partner(), ManageEndpoints.parseId(ctx.pathParam("id")));
        String base = "/ui/endpoints/" + Html.q(e.id().value());
        return Html.page(
                "Delete endpoint " + e.id().value(),
                s,
                "<div class=\"error\" id=\"delete-warning\"><p>Delete <code>"
                        + esc(e.url()) + "</code>"
                        + (e.description() == null || e.description().isBlank()
                                ? ""
                                : " (" + esc(e.description()) + ")")
                        + "? Nothing more is sent to it and its pending deliveries fail."
                        + " This cannot be undone.</p></div><form method=\"post\" action=\"" + esc(base)
                        + "/delete\" id=\"delete-endpoint\">"
                        + Html.csrf(s) + "<button type=\"submit\">Delete this endpoint</button> <a href=\"" + esc(base)
                        + "\">Cancel</a></form>");
    }

    void delete(Context ctx, UiSessions.Session s) {
        EndpointId id = ManageEndpoints.parseId(ctx.pathParam("id"));
        svc.changes().deleteEndpoint(s.actor(), s.partner(), id);
        s.flash("Endpoint " + id.value() + " deleted.");
        ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER);
    }
}
