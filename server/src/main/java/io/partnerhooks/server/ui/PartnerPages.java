package io.partnerhooks.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;

/** The operator's partner list and "view as this partner"; routed by {@link Dashboard}. */
final class PartnerPages {
    private final Dashboard.Services svc;

    PartnerPages(Dashboard.Services svc) {
        this.svc = svc;
    }

    // ---- operator ----

    String partnersPage(Context ctx, UiSessions.Session s) {
        if (!s.operator()) {
            throw new NotFoundException("page", "the partner list is for the operator");
        }
        StringBuilder sb =
                new StringBuilder("<table id=\"partners\"><tr><th>Partner</th><th>Id</th><th>Since</th><th></th></tr>");
        for (Partner p : svc.partners().list(1000)) {
            sb.append("<tr><td>")
                    .append(Html.esc(p.name()))
                    .append("</td><td><code>")
                    .append(Html.esc(p.id().value()))
                    .append("</code></td><td>")
                    .append(Html.esc(p.createdAt()))
                    .append("</td><td>")
                    .append(Html.button(
                            s,
                            "/ui/partners/select",
                            "View as this partner",
                            "<input type=\"hidden\" name=\"partner_id\" value=\"" + Html.esc(p.id().value()) + "\">"))
                    .append("</td></tr>");
        }
        sb.append("</table>");
        return Html.page("Partners", s, sb.toString());
    }

    void selectPartner(Context ctx, UiSessions.Session s) {
        if (!s.operator()) {
            throw new NotFoundException("page", "only the operator picks a partner");
        }
        String raw = ctx.formParam("partner_id");
        if (raw == null || !Ids.looksLike(raw, Ids.PARTNER)) {
            throw new InvalidInputException("partner_id", "is not a partner id");
        }
        Partner p = svc.partners()
                .find(new PartnerId(raw))
                .orElseThrow(() -> new NotFoundException("partner_id", "no partner " + raw));
        s.viewAs(p.id(), p.name());
        ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER);
    }
}
