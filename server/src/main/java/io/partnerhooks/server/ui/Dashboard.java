package io.partnerhooks.server.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ReadDeliveries;
import io.partnerhooks.core.usecase.ReadEvents;
import io.partnerhooks.core.usecase.ReadPartners;
import io.partnerhooks.core.usecase.Redeliver;
import io.partnerhooks.core.usecase.SendTestEvent;
import io.partnerhooks.server.OperatorToken;
import java.time.Clock;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard at {@code /ui}: server-rendered pages over the same use cases and stores the API
 * uses (no HTTP round trip). Sign-in takes a partner API key or the operator token in a POST form
 * and answers with a session cookie (HttpOnly, SameSite=Strict, Path=/ui, and Secure when the
 * request came over https, directly or per {@code X-Forwarded-Proto}). Every POST carries the
 * session's CSRF token. Pages contain no script.
 */
public final class Dashboard {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    static final String SESSION_COOKIE = "ph_session";
    static final String LOGIN_COOKIE = "ph_login";

    /** What the dashboard works with. */
    /** What the dashboard works with; every change goes through {@code changes}, the API's audited calls. */
    public record Services(ManageEndpoints endpoints, ReadEvents events, ReadDeliveries deliveries,
            ComputeEndpointStats stats, ReadPartners partners, AuditedChanges changes,
            SendTestEvent sendTest, EventCatalog catalog, OperatorToken operatorToken,
            io.partnerhooks.core.usecase.ManageApiKeys apiKeys, World world) {
        public Services(ManageEndpoints endpoints, ReadEvents events, ReadDeliveries deliveries,
                ComputeEndpointStats stats, ReadPartners partners, AuditedChanges changes,
                SendTestEvent sendTest, EventCatalog catalog, OperatorToken operatorToken,
                io.partnerhooks.core.usecase.ManageApiKeys apiKeys) {
            this(endpoints, events, deliveries, stats, partners, changes, sendTest, catalog, operatorToken, apiKeys, null);
        }
    }

    /** The rest of the partner's world (issue 17 item 5): workspaces and thresholds, channels and their messaging webhooks. */
    public record World(io.partnerhooks.core.usecase.ManageWorkspaces workspaces,
            io.partnerhooks.core.usecase.ManageMessagingWebhook webhooks, io.partnerhooks.core.usecase.RecordFacts facts) {}

    @FunctionalInterface
    interface PageHandler {
        String render(Context ctx, UiSessions.Session s) throws Exception;
    }

    @FunctionalInterface
    interface ActionHandler {
        void run(Context ctx, UiSessions.Session s) throws Exception;
    }

    private final Services svc;
    private final UiSessions sessions;
    private final EndpointPages endpointPages;
    private final EventPages eventPages;
    private final AuditPage auditPage;

    /** One-time sign-in links (null: none); the pages' name and colour. */
    private final io.partnerhooks.core.usecase.PortalLinks portalLinks;
    private final Html.Branding branding;

    public Dashboard(Services services, Clock clock, RandomGenerator random) {
        this(services, clock, random, null, null, null);
    }

    /** With portal links and the BSP's branding ({@code title}, {@code accent}: Ui, already checked). */
    public Dashboard(Services services, Clock clock, RandomGenerator random,
            io.partnerhooks.core.usecase.PortalLinks portalLinks, String title, String accent) {
        this.portalLinks = portalLinks;
        this.branding = new Html.Branding(title, accent);
        this.svc = services;
        this.sessions = new UiSessions(clock, random);
        this.endpointPages = new EndpointPages(services, clock);
        this.eventPages = new EventPages(services, clock);
        this.auditPage = new AuditPage(services.changes().trail());
    }

    public void register(RoutesConfig r) {
        r.get("/ui", ctx -> ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER));
        r.get("/ui/login", this::loginForm);
        r.post("/ui/login", this::login);
        r.post("/ui/logout", action(this::logout, c -> "/ui/login"));
        r.get("/ui/portal/{token}", this::portalForm);
        r.post("/ui/portal/{token}", this::portalSignIn);
        r.get("/ui/partners", page(this::partnersPage, false));
        r.post("/ui/partners/select", action(this::selectPartner, c -> "/ui/partners"));
        r.get("/ui/catalog", page((c, s) -> CatalogPage.render(svc.catalog(), s), false));

        r.get("/ui/endpoints", page(endpointPages::list, true));
        r.post("/ui/endpoints", partnerAction(endpointPages::create, c -> "/ui/endpoints"));
        r.get("/ui/endpoints/{id}", page(endpointPages::one, true));
        Function<Context, String> backToEndpoint = c -> "/ui/endpoints/" + Html.q(c.pathParam("id"));
        r.post("/ui/endpoints/{id}/test", partnerAction(endpointPages::sendTest, backToEndpoint));
        r.post("/ui/endpoints/{id}/recover", partnerAction(endpointPages::recover, backToEndpoint));
        r.post("/ui/endpoints/{id}/replay", partnerAction(endpointPages::replay, backToEndpoint));
        r.post("/ui/endpoints/{id}/secret", partnerAction(endpointPages::revealSecret, backToEndpoint));
        r.post("/ui/endpoints/{id}/secret/rotate", partnerAction(endpointPages::rotateSecret, backToEndpoint));
        // editing, switching on and off, deleting (issue 17 item 1)
        r.get("/ui/endpoints/{id}/edit", page(endpointPages::editForm, true));
        r.post("/ui/endpoints/{id}/edit", partnerAction(endpointPages::edit, backToEndpoint));
        r.post("/ui/endpoints/{id}/enable", partnerAction(endpointPages::enable, backToEndpoint));
        r.post("/ui/endpoints/{id}/disable", partnerAction(endpointPages::disable, backToEndpoint));
        r.get("/ui/endpoints/{id}/delete", page(endpointPages::deleteForm, true));
        r.post("/ui/endpoints/{id}/delete", partnerAction(endpointPages::delete, backToEndpoint));

        r.get("/ui/audit", page(auditPage::render, false));
        r.get("/ui/events", page(eventPages::list, true));
        r.get("/ui/events/{id}", page(eventPages::one, true));
        Function<Context, String> backToEvent = c -> {
            String back = c.formParam("back");
            // only our own event pages: never an open redirect
            return back != null && back.matches("/ui/events/evt_[0-9A-Za-z]{1,64}") ? back : "/ui/events";
        };
        r.post("/ui/deliveries/{id}/retry", partnerAction(eventPages::retry, backToEvent));
        r.post("/ui/deliveries/{id}/resend", partnerAction(eventPages::resend, backToEvent));

        // issue 17 item 5: thresholds, workspaces, channels and their messaging webhooks
        if (svc.world() != null) {
            ThresholdPages thresholds = new ThresholdPages(svc);
            WorkspacePages workspaces = new WorkspacePages(svc);
            ChannelPages channels = new ChannelPages(svc);
            r.get("/ui/thresholds", page(thresholds::list, true));
            r.post("/ui/thresholds", partnerAction(thresholds::create, c -> "/ui/thresholds"));
            r.post("/ui/thresholds/delete", partnerAction(thresholds::delete, c -> "/ui/thresholds"));
            r.get("/ui/workspaces", page(workspaces::list, true));
            r.get("/ui/channels", page(channels::list, true));
            r.get("/ui/channels/{id}", page(channels::one, true));
            Function<Context, String> backToChannel = c -> "/ui/channels/" + Html.q(c.pathParam("id"));
            r.post("/ui/channels/{id}/webhook", partnerAction(channels::setWebhook, backToChannel));
            r.post("/ui/channels/{id}/webhook/delete", partnerAction(channels::deleteWebhook, backToChannel));
        }
    }

    /** The dashboard's answer for a page that does not exist: an HTML page, like every other page here. */
    public void notFound(Context ctx) {
        securityHeaders(ctx);
        ctx.status(404).html(Html.page("Not found", session(ctx),
                "<p>There is no page " + Html.esc(ctx.path()) + ". <a href=\"/ui\">Back to the dashboard</a></p>"));
    }

    private void securityHeaders(Context ctx) {
        Html.brand(branding);
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /**
     * The signed-in session, or null. A partner's session lasts only while the key it was opened
     * with still works (read from the database each time): revoking or expiring the key signs it out.
     */
    private UiSessions.Session session(Context ctx) {
        UiSessions.Session s = sessions.find(ctx.cookie(SESSION_COOKIE)).orElse(null);
        if (s != null && s.apiKey() != null && !svc.apiKeys().live(s.partner(), s.apiKey())) {
            sessions.close(s.id());
            return null;
        }
        return s;
    }

    /** A GET page; {@code needsPartner}: an operator who has not picked a partner goes to the partner list. */
    private io.javalin.http.Handler page(PageHandler h, boolean needsPartner) {
        return ctx -> {
            securityHeaders(ctx);
            UiSessions.Session s = session(ctx);
            if (s == null) {
                ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
                return;
            }
            if (needsPartner && s.partner() == null) {
                ctx.redirect("/ui/partners", HttpStatus.SEE_OTHER);
                return;
            }
            try {
                ctx.html(h.render(ctx, s));
            } catch (NotFoundException e) {
                ctx.status(404).html(Html.page("Not found", s, "<p>" + Html.esc(e.getMessage()) + "</p>"));
            } catch (InvalidInputException e) {
                ctx.status(400).html(Html.page("Invalid input", s, "<p class=\"error\">" + Html.esc(problems(e)) + "</p>"));
            }
        };
    }

    private io.javalin.http.Handler partnerAction(ActionHandler h, Function<Context, String> back) {
        return action((ctx, s) -> {
            if (s.partner() == null) {
                throw new InvalidInputException("partner", "pick a partner first");
            }
            h.run(ctx, s);
        }, back);
    }

    /** A POST: signed in, CSRF token checked, then the action; input errors come back as a message on {@code back}. */
    private io.javalin.http.Handler action(ActionHandler h, Function<Context, String> back) {
        return ctx -> {
            securityHeaders(ctx);
            UiSessions.Session s = session(ctx);
            if (s == null) {
                ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
                return;
            }
            // a read-only portal session changes nothing; signing out is the one form it may send
            if (s.readOnly() && !ctx.path().equals("/ui/logout")) {
                ctx.status(403).html(Html.page("Read-only", s,
                        "<p class=\"error\" role=\"alert\">This session is read-only: it can look at everything but change"
                                + " nothing. <a href=\"/ui\">Back to the dashboard</a></p>"));
                return;
            }
            if (!s.csrfMatches(ctx.formParam("csrf"))) {
                ctx.status(403).html(Html.page("Forbidden", s,
                        "<p>This form is out of date or did not come from this dashboard (CSRF check failed)."
                                + " <a href=\"/ui\">Back to the dashboard</a></p>"));
                return;
            }
            try {
                h.run(ctx, s);
            } catch (InvalidInputException e) {
                s.flash("!" + problems(e));
                ctx.redirect(back.apply(ctx), HttpStatus.SEE_OTHER);
            } catch (NotFoundException | Redeliver.ConflictException e) {
                s.flash("!" + e.getMessage());
                ctx.redirect(back.apply(ctx), HttpStatus.SEE_OTHER);
            }
        };
    }

    static String problems(InvalidInputException e) {
        StringBuilder sb = new StringBuilder();
        for (InvalidInputException.FieldError fe : e.errors()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(fe.field()).append(' ').append(fe.detail());
        }
        return sb.toString();
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static void setCookie(Context ctx, String name, String value, boolean clear) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/ui; HttpOnly; SameSite=Strict"
                + (secure(ctx) ? "; Secure" : "") + (clear ? "; Max-Age=0" : ""));
    }

    // ---- sign-in ----

    private void loginForm(Context ctx) {
        securityHeaders(ctx);
        renderLogin(ctx, null);
    }

    /** The sign-in form's own CSRF defence: a random value in a cookie and in the form must agree. */
    private void renderLogin(Context ctx, String error) {
        String token = sessions.token();
        setCookie(ctx, LOGIN_COOKIE, token, false);
        String body = (error == null ? "" : "<div class=\"error\" role=\"alert\">" + Html.esc(error) + "</div>")
                + "<form method=\"post\" action=\"/ui/login\"><fieldset><legend>Sign in</legend>"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.esc(token) + "\">"
                + "<p><label>Partner API key or operator token<br><input type=\"password\" name=\"key\" size=\"60\""
                + " autocomplete=\"off\" required autofocus></label></p>"
                + "<button type=\"submit\">Sign in</button></fieldset></form>"
                + "<p class=\"muted\">The key is sent in this form only; the browser keeps a session cookie,"
                + " never the key.</p>";
        ctx.html(Html.page("Sign in", null, body));
    }

    private void login(Context ctx) {
        securityHeaders(ctx);
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("csrf");
        // Both halves must be present and non-empty: an empty cookie and an empty field are "equal"
        // too, and a cross-site form can send both.
        if (expected == null || presented == null || expected.isEmpty() || !java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            ctx.status(403);
            renderLogin(ctx, "The sign-in form expired; please try again.");
            return;
        }
        String key = ctx.formParam("key") == null ? "" : ctx.formParam("key").strip();
        UiSessions.Session s;
        if (!key.isEmpty() && svc.operatorToken().matches(key)) {
            s = sessions.open(true, null, null, null);
            log.info("dashboard: operator signed in");
        } else {
            var holder = key.isEmpty() ? null : svc.apiKeys().authenticate(key).orElse(null);
            if (holder == null) {
                ctx.status(401);
                renderLogin(ctx, "Unknown API key or operator token.");
                return;
            }
            Partner p = holder.partner();
            s = sessions.open(false, p.id(), p.name(), holder.key().id());
            log.info("dashboard: partner {} signed in", p.id().value());
        }
        setCookie(ctx, LOGIN_COOKIE, "", true);
        setCookie(ctx, SESSION_COOKIE, s.id(), false);
        ctx.redirect(s.operator() ? "/ui/partners" : "/ui/endpoints", HttpStatus.SEE_OTHER);
    }

    // ---- portal links ----

    /**
     * A portal link opens on a page with one button rather than signing in on the GET itself:
     * link previews and mail scanners fetch links and would use them up, and a SameSite=Strict
     * cookie set during a redirect chain that began on another site is not sent on its last hop.
     * The GET changes nothing; the button's POST (from this page, so same-site) uses the link up.
     */
    private void portalForm(Context ctx) {
        securityHeaders(ctx);
        String token = ctx.pathParam("token");
        var refusal = portalLinks == null ? io.partnerhooks.core.domain.PortalLink.Refusal.UNKNOWN : portalLinks.check(token);
        if (refusal != null) {
            portalRefused(ctx, refusal);
            return;
        }
        String csrf = sessions.token();
        setCookie(ctx, LOGIN_COOKIE, csrf, false);
        ctx.html(Html.page("Open the dashboard", null, "<form method=\"post\" action=\"/ui/portal/" + Html.esc(token) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.esc(csrf) + "\">"
                + "<p>This link signs you in once. It cannot be used again afterwards.</p>"
                + "<button type=\"submit\" id=\"open\">Open the dashboard</button></form>"));
    }

    private void portalSignIn(Context ctx) {
        securityHeaders(ctx);
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("csrf");
        if (expected == null || presented == null || expected.isEmpty() || !java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            ctx.status(403).html(Html.page("Forbidden", null, "<p>This form is out of date; open the link again.</p>"));
            return;
        }
        if (portalLinks == null) {
            portalRefused(ctx, io.partnerhooks.core.domain.PortalLink.Refusal.UNKNOWN);
            return;
        }
        var redeemed = portalLinks.redeem(ctx.pathParam("token"));
        if (redeemed.link() == null) {
            portalRefused(ctx, redeemed.refusal());
            return;
        }
        var link = redeemed.link();
        Partner p = svc.partners().find(link.partner()).orElse(null);
        if (p == null) {
            portalRefused(ctx, io.partnerhooks.core.domain.PortalLink.Refusal.UNKNOWN);
            return;
        }
        sessions.close(ctx.cookie(SESSION_COOKIE));
        UiSessions.Session s = sessions.openPortal(p.id(), p.name(), link.readOnly());
        log.info("dashboard: partner {} signed in with a portal link{}", p.id().value(), link.readOnly() ? " (read-only)" : "");
        setCookie(ctx, LOGIN_COOKIE, "", true);
        setCookie(ctx, SESSION_COOKIE, s.id(), false);
        ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER);
    }

    private void portalRefused(Context ctx, io.partnerhooks.core.domain.PortalLink.Refusal why) {
        String title;
        String text;
        switch (why) {
            case USED -> {
                ctx.status(410);
                title = "Link already used";
                text = "This sign-in link has already been used. Each link opens the dashboard once.";
            }
            case EXPIRED -> {
                ctx.status(410);
                title = "Link expired";
                text = "This sign-in link has expired.";
            }
            default -> {
                ctx.status(404);
                title = "Link not valid";
                text = "This sign-in link is not valid.";
            }
        }
        ctx.html(Html.page(title, null, "<p class=\"error\" role=\"alert\" id=\"portal-refused\">" + Html.esc(text)
                + " Ask your provider for a new link.</p>"));
    }

    private void logout(Context ctx, UiSessions.Session s) {
        sessions.close(s.id());
        setCookie(ctx, SESSION_COOKIE, "", true);
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
    }

    // ---- operator ----

    private String partnersPage(Context ctx, UiSessions.Session s) {
        if (!s.operator()) {
            throw new NotFoundException("page", "the partner list is for the operator");
        }
        StringBuilder sb = new StringBuilder("<table id=\"partners\"><tr><th>Partner</th><th>Id</th><th>Since</th><th></th></tr>");
        for (Partner p : svc.partners().list(1000)) {
            sb.append("<tr><td>").append(Html.esc(p.name())).append("</td><td><code>").append(Html.esc(p.id().value()))
                    .append("</code></td><td>").append(Html.esc(p.createdAt())).append("</td><td>")
                    .append(Html.button(s, "/ui/partners/select", "View as this partner",
                            "<input type=\"hidden\" name=\"partner_id\" value=\"" + Html.esc(p.id().value()) + "\">"))
                    .append("</td></tr>");
        }
        sb.append("</table>");
        return Html.page("Partners", s, sb.toString());
    }

    private void selectPartner(Context ctx, UiSessions.Session s) {
        if (!s.operator()) {
            throw new NotFoundException("page", "only the operator picks a partner");
        }
        String raw = ctx.formParam("partner_id");
        if (raw == null || !Ids.looksLike(raw, Ids.PARTNER)) {
            throw new InvalidInputException("partner_id", "is not a partner id");
        }
        Partner p = svc.partners().find(new PartnerId(raw))
                .orElseThrow(() -> new NotFoundException("partner_id", "no partner " + raw));
        s.viewAs(p.id(), p.name());
        ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER);
    }
}
