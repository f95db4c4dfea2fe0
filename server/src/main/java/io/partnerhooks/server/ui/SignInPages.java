package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Dashboard.LOGIN_COOKIE;
import static io.partnerhooks.server.ui.Dashboard.SESSION_COOKIE;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.usecase.PortalLinks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out: the sign-in form with its own CSRF cookie, one-time portal links, and the
 * session cookie; routed by {@link Dashboard}.
 */
final class SignInPages {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    private final Dashboard.Services svc;
    private final UiSessions sessions;
    /** One-time sign-in links (null: none). */
    private final PortalLinks portalLinks;

    private final Consumer<Context> headers;

    SignInPages(Dashboard.Services svc, UiSessions sessions, PortalLinks portalLinks, Consumer<Context> headers) {
        this.svc = svc;
        this.sessions = sessions;
        this.portalLinks = portalLinks;
        this.headers = headers;
    }

    private void securityHeaders(Context ctx) {
        headers.accept(ctx);
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static void setCookie(Context ctx, String name, String value, boolean clear) {
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        name + "=" + value + "; Path=/ui; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : "")
                                + (clear ? "; Max-Age=0" : ""));
    }

    // ---- sign-in ----

    void loginForm(Context ctx) {
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

    void login(Context ctx) {
        securityHeaders(ctx);
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("csrf");
        // Both halves must be present and non-empty: an empty cookie and an empty field are "equal"
        // too, and a cross-site form can send both.
        if (expected == null
                || presented == null
                || expected.isEmpty()
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
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
    void portalForm(Context ctx) {
        securityHeaders(ctx);
        String token = ctx.pathParam("token");
        var refusal = portalLinks == null ? PortalLink.Refusal.UNKNOWN : portalLinks.check(token);
        if (refusal != null) {
            portalRefused(ctx, refusal);
            return;
        }
        String csrf = sessions.token();
        setCookie(ctx, LOGIN_COOKIE, csrf, false);
        ctx.html(Html.page(
                "Open the dashboard",
                null,
                "<form method=\"post\" action=\"/ui/portal/" + Html.esc(token) + "\">"
                        + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.esc(csrf) + "\">"
                        + "<p>This link signs you in once. It cannot be used again afterwards.</p>"
                        + "<button type=\"submit\" id=\"open\">Open the dashboard</button></form>"));
    }

    void portalSignIn(Context ctx) {
        securityHeaders(ctx);
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("csrf");
        if (expected == null
                || presented == null
                || expected.isEmpty()
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.status(403).html(Html.page("Forbidden", null, "<p>This form is out of date; open the link again.</p>"));
            return;
        }
        if (portalLinks == null) {
            portalRefused(ctx, PortalLink.Refusal.UNKNOWN);
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
            portalRefused(ctx, PortalLink.Refusal.UNKNOWN);
            return;
        }
        sessions.close(ctx.cookie(SESSION_COOKIE));
        UiSessions.Session s = sessions.openPortal(p.id(), p.name(), link.readOnly());
        log.info(
                "dashboard: partner {} signed in with a portal link{}",
                p.id().value(),
                link.readOnly() ? " (read-only)" : "");
        setCookie(ctx, LOGIN_COOKIE, "", true);
        setCookie(ctx, SESSION_COOKIE, s.id(), false);
        ctx.redirect("/ui/endpoints", HttpStatus.SEE_OTHER);
    }

    private void portalRefused(Context ctx, PortalLink.Refusal why) {
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
        ctx.html(Html.page(
                title,
                null,
                "<p class=\"error\" role=\"alert\" id=\"portal-refused\">" + Html.esc(text)
                        + " Ask your provider for a new link.</p>"));
    }

    void logout(Context ctx, UiSessions.Session s) {
        sessions.close(s.id());
        setCookie(ctx, SESSION_COOKIE, "", true);
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
    }
}
