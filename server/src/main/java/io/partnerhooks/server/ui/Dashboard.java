package io.partnerhooks.server.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import io.partnerhooks.core.usecase.PortalLinks;
import io.partnerhooks.core.usecase.ReadDeliveries;
import io.partnerhooks.core.usecase.ReadEvents;
import io.partnerhooks.core.usecase.ReadPartners;
import io.partnerhooks.core.usecase.RecordFacts;
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
    public record Services(
            ManageEndpoints endpoints,
            ReadEvents events,
            ReadDeliveries deliveries,
            ComputeEndpointStats stats,
            ReadPartners partners,
            AuditedChanges changes,
            SendTestEvent sendTest,
            EventCatalog catalog,
            OperatorToken operatorToken,
            ManageApiKeys apiKeys,
            World world) {
        public Services(
                ManageEndpoints endpoints,
                ReadEvents events,
                ReadDeliveries deliveries,
                ComputeEndpointStats stats,
                ReadPartners partners,
                AuditedChanges changes,
                SendTestEvent sendTest,
                EventCatalog catalog,
                OperatorToken operatorToken,
                ManageApiKeys apiKeys) {
            this(
                    endpoints,
                    events,
                    deliveries,
                    stats,
                    partners,
                    changes,
                    sendTest,
                    catalog,
                    operatorToken,
                    apiKeys,
                    null);
        }
    }

    /** The rest of the partner's world (issue 17 item 5): workspaces and thresholds, channels and their messaging webhooks. */
    public record World(ManageWorkspaces workspaces, ManageMessagingWebhook webhooks, RecordFacts facts) {}

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
    private final EndpointEditPages endpointEdits;
    private final EndpointActions endpointActions;
    private final EventPages eventPages;
    private final AuditPage auditPage;

    private final SignInPages signIn;
    private final PartnerPages partnerPages;

    /** One-time sign-in links (null: none); the pages' name and colour. */
    private final PortalLinks portalLinks;

    private final Html.Branding branding;

    public Dashboard(Services services, Clock clock, RandomGenerator random) {
        this(services, clock, random, null, null, null);
    }

    /** With portal links and the BSP's branding ({@code title}, {@code accent}: Ui, already checked). */
    public Dashboard(
            Services services,
            Clock clock,
            RandomGenerator random,
            PortalLinks portalLinks,
            String title,
            String accent) {
        this.portalLinks = portalLinks;
        this.branding = new Html.Branding(title, accent);
        this.svc = services;
        this.sessions = new UiSessions(clock, random);
        this.endpointPages = new EndpointPages(services, clock);
        this.endpointEdits = new EndpointEditPages(services);
        this.endpointActions = new EndpointActions(services);
        this.eventPages = new EventPages(services, clock);
        this.auditPage = new AuditPage(services.changes().trail());
        this.signIn = new SignInPages(services, sessions, portalLinks, this::securityHeaders);
        this.partnerPages = new PartnerPages(services);
    }

    public void register(RoutesConfig r) {
        r.get("/ui", ctx -> ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER));
        r.get("/ui/login", signIn::loginForm);
        r.post("/ui/login", signIn::login);
        r.post("/ui/logout", action(signIn::logout, c -> "/ui/login"));
        r.get("/ui/portal/{token}", signIn::portalForm);
        r.post("/ui/portal/{token}", signIn::portalSignIn);
        r.get("/ui/partners", page(partnerPages::partnersPage, false));
        r.post("/ui/partners/select", action(partnerPages::selectPartner, c -> "/ui/partners"));
        r.get("/ui/catalog", page((c, s) -> CatalogPage.render(svc.catalog(), s), false));

        r.get("/ui/endpoints", page(endpointPages::list, true));
        r.post("/ui/endpoints", partnerAction(endpointPages::create, c -> "/ui/endpoints"));
        r.get("/ui/endpoints/{id}", page(endpointPages::one, true));
        Function<Context, String> backToEndpoint = c -> "/ui/endpoints/" + Html.q(c.pathParam("id"));
        r.post("/ui/endpoints/{id}/test", partnerAction(endpointActions::sendTest, backToEndpoint));
        r.post("/ui/endpoints/{id}/recover", partnerAction(endpointActions::recover, backToEndpoint));
        r.post("/ui/endpoints/{id}/replay", partnerAction(endpointActions::replay, backToEndpoint));
        r.post("/ui/endpoints/{id}/secret", partnerAction(endpointActions::revealSecret, backToEndpoint));
        r.post("/ui/endpoints/{id}/secret/rotate", partnerAction(endpointActions::rotateSecret, backToEndpoint));
        // editing, switching on and off, deleting (issue 17 item 1)
        r.get("/ui/endpoints/{id}/edit", page(endpointEdits::editForm, true));
        r.post("/ui/endpoints/{id}/edit", partnerAction(endpointEdits::edit, backToEndpoint));
        r.post("/ui/endpoints/{id}/enable", partnerAction(endpointEdits::enable, backToEndpoint));
        r.post("/ui/endpoints/{id}/disable", partnerAction(endpointEdits::disable, backToEndpoint));
        r.get("/ui/endpoints/{id}/delete", page(endpointEdits::deleteForm, true));
        r.post("/ui/endpoints/{id}/delete", partnerAction(endpointEdits::delete, backToEndpoint));

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
        ctx.status(404)
                .html(Html.page(
                        "Not found",
                        session(ctx),
                        "<p>There is no page " + Html.esc(ctx.path())
                                + ". <a href=\"/ui\">Back to the dashboard</a></p>"));
    }

    private void securityHeaders(Context ctx) {
        Html.brand(branding);
        ctx.header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
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
    private Handler page(PageHandler h, boolean needsPartner) {
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
                ctx.status(400)
                        .html(Html.page("Invalid input", s, "<p class=\"error\">" + Html.esc(problems(e)) + "</p>"));
            }
        };
    }

    private Handler partnerAction(ActionHandler h, Function<Context, String> back) {
        return action(
                (ctx, s) -> {
                    if (s.partner() == null) {
                        throw new InvalidInputException("partner", "pick a partner first");
                    }
                    h.run(ctx, s);
                },
                back);
    }

    /** A POST: signed in, CSRF token checked, then the action; input errors come back as a message on {@code back}. */
    private Handler action(ActionHandler h, Function<Context, String> back) {
        return ctx -> {
            securityHeaders(ctx);
            UiSessions.Session s = session(ctx);
            if (s == null) {
                ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
                return;
            }
            // a read-only portal session changes nothing; signing out is the one form it may send
            if (s.readOnly() && !ctx.path().equals("/ui/logout")) {
                ctx.status(403)
                        .html(Html.page(
                                "Read-only",
                                s,
                                "<p class=\"error\" role=\"alert\">This session is read-only: it can look at everything but change"
                                        + " nothing. <a href=\"/ui\">Back to the dashboard</a></p>"));
                return;
            }
            if (!s.csrfMatches(ctx.formParam("csrf"))) {
                ctx.status(403)
                        .html(Html.page(
                                "Forbidden",
                                s,
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
}
