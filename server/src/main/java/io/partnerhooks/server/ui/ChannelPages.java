package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.server.api.ChannelRoutes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partner's channels (phone numbers) and each one's messaging webhook: set, change, remove,
 * through the same use case and audit actions as {@code /v1/channels/{channel_id}/webhook}.
 */
final class ChannelPages {
    static final int PAGE = 100;

    private final Dashboard.Services svc;

    ChannelPages(Dashboard.Services svc) {
        this.svc = svc;
    }

    String list(Context ctx, UiSessions.Session s) {
        String after = ctx.queryParam("after");
        List<ObjectNode> page = svc.world().facts().channels(s.partner(), PAGE + 1, after);
        Map<String, Endpoint> webhooks = new HashMap<>();
        for (Endpoint e : svc.endpoints().list(s.partner())) {
            if (Endpoint.ROLE_MESSAGING.equals(e.profile().role())) {
                webhooks.put(e.profile().channelId(), e);
            }
        }
        StringBuilder sb =
                new StringBuilder("<p>Each channel is a phone number; its messaging webhook receives the number's"
                        + " share of Meta's callbacks.</p><table id=\"channels\"><tr><th>Channel</th><th>Phone number</th><th>Status</th>"
                        + "<th>Messaging webhook</th></tr>");
        for (ObjectNode ch : page.subList(0, Math.min(PAGE, page.size()))) {
            String id = ch.path("id").asText();
            Endpoint w = webhooks.get(id);
            sb.append("<tr><td><a href=\"/ui/channels/")
                    .append(esc(Html.q(id)))
                    .append("\">")
                    .append(esc(id))
                    .append("</a></td><td>")
                    .append(esc(setup(ch, "phone_number")))
                    .append(
                            setup(ch, "phone_name").isEmpty()
                                    ? ""
                                    : "<br><span class=\"muted\">" + esc(setup(ch, "phone_name")) + "</span>")
                    .append("</td><td>")
                    .append(esc(text(ch, "status")))
                    .append("</td><td>")
                    .append(w == null ? "<span class=\"muted\">none</span>" : "<code>" + esc(w.url()) + "</code>")
                    .append("</td></tr>");
        }
        if (page.isEmpty()) {
            sb.append("<tr><td colspan=\"4\" class=\"muted\">No channels yet: the platform reports them.</td></tr>");
        }
        sb.append("</table>");
        if (page.size() > PAGE) {
            sb.append(
                            "<nav class=\"pager\"><a id=\"first\" href=\"/ui/channels\">« First</a><a id=\"older\" href=\"/ui/channels?after=")
                    .append(esc(Html.q(page.get(PAGE - 1).path("id").asText())))
                    .append("\">More →</a></nav>");
        }
        return Html.page("Channels", s, sb.toString());
    }

    String one(Context ctx, UiSessions.Session s) {
        return render(ctx.pathParam("id"), s, Map.of(), null);
    }

    private String render(String id, UiSessions.Session s, Map<String, String> errors, Map<String, String> typed) {
        ObjectNode ch = svc.world()
                .facts()
                .channel(s.partner(), id)
                .orElseThrow(() -> new NotFoundException("id", "no channel " + id));
        Endpoint w = svc.world().webhooks().find(s.partner(), id).orElse(null);
        StringBuilder sb = new StringBuilder("<p>Phone number ")
                .append(esc(setup(ch, "phone_number")))
                .append(" · status <b>")
                .append(esc(text(ch, "status")))
                .append("</b> · mode ")
                .append(esc(text(ch, "account_mode")))
                .append("</p><h2>Messaging webhook</h2>");
        if (w == null) {
            sb.append(
                    "<p class=\"muted\" id=\"no-webhook\">This number has no messaging webhook: its callbacks are not relayed.</p>");
        } else {
            sb.append("<table id=\"webhook\"><tr><th>URL</th><td><code>")
                    .append(esc(w.url()))
                    .append("</code></td></tr>")
                    .append("<tr><th>Endpoint</th><td><a href=\"/ui/endpoints/")
                    .append(esc(Html.q(w.id().value())))
                    .append("\">")
                    .append(esc(w.description()))
                    .append("</a></td></tr><tr><th>Ordering</th><td>")
                    .append(esc(w.profile().ordering()))
                    .append("</td></tr><tr><th>Status order</th><td>")
                    .append(esc(w.profile().statusOrder()))
                    .append("</td></tr><tr><th>Headers</th><td>")
                    .append(
                            w.profile().headers().isEmpty()
                                    ? "<span class=\"muted\">none</span>"
                                    : esc(String.join(
                                                    ", ", w.profile().headers().keySet()))
                                            + " <span class=\"muted\">(values hidden)</span>")
                    .append("</td></tr></table>")
                    .append(Html.button(s, "/ui/channels/" + Html.q(id) + "/webhook/delete", "Remove the webhook", ""));
        }
        Map<String, String> v = typed != null ? typed : new HashMap<>();
        if (typed == null && w != null) {
            v.put("url", w.url());
            v.put("ordering", w.profile().ordering());
            v.put("status_order", w.profile().statusOrder());
        }
        sb.append("<form method=\"post\" action=\"/ui/channels/")
                .append(esc(Html.q(id)))
                .append("/webhook\" id=\"set-webhook\">")
                .append("<fieldset><legend>")
                .append(w == null ? "Set the webhook" : "Change the webhook")
                .append("</legend>")
                .append(Html.csrf(s))
                .append("<p><label>URL<br><input name=\"url\" size=\"60\" required value=\"")
                .append(esc(v.get("url")))
                .append("\" placeholder=\"https://example.com/whatsapp\"></label>")
                .append(EventPages.fieldError(errors, "url"))
                .append("</p><p><label>Headers (one <code>Name: value</code> a line")
                .append(w == null ? "" : "; replaces the current ones")
                .append(")<br><textarea name=\"headers\" rows=\"3\" cols=\"60\">")
                .append(esc(v.get("headers")))
                .append("</textarea></label>")
                .append(EventPages.fieldError(errors, "headers"))
                .append("</p><p><label>Verify token (optional: the receiver must answer Meta's handshake)<br>")
                .append("<input name=\"verify_token\" size=\"40\" autocomplete=\"off\"></label>")
                .append(EventPages.fieldError(errors, "verify_token"))
                .append("</p><p><label>Ordering <select name=\"ordering\">")
                .append(options(Endpoint.Profile.ORDERINGS, v.get("ordering")))
                .append("</select></label>")
                .append(EventPages.fieldError(errors, "ordering"))
                .append(" <label>Status order <select name=\"status_order\">")
                .append(options(
                        List.of(Endpoint.Profile.AS_RECEIVED, Endpoint.Profile.MONOTONIC), v.get("status_order")))
                .append("</select></label>")
                .append(EventPages.fieldError(errors, "status_order"))
                .append("</p><button type=\"submit\">Save</button></fieldset></form>");
        return Html.page("Channel " + id, s, sb.toString());
    }

    void setWebhook(Context ctx, UiSessions.Session s) {
        String id = ctx.pathParam("id");
        Map<String, String> typed = new LinkedHashMap<>();
        for (String f : new String[] {"url", "headers", "ordering", "status_order"}) {
            typed.put(f, ctx.formParam(f) == null ? null : ctx.formParam(f).strip());
        }
        ManageMessagingWebhook.Checked checked;
        try {
            String verify = ctx.formParam("verify_token");
            checked = svc.world()
                    .webhooks()
                    .check(
                            s.partner(),
                            id,
                            new ManageMessagingWebhook.Request(
                                    empty(typed.get("url")),
                                    headers(typed.get("headers")),
                                    empty(verify),
                                    empty(typed.get("ordering")),
                                    empty(typed.get("status_order"))));
        } catch (InvalidInputException e) {
            ctx.status(400).html(render(id, s, ThresholdPages.errors(e), typed));
            return;
        }
        var partner = s.partner();
        svc.changes().trail().record(s.actor(), "channel_webhook.set", "channel", a -> {
            a.target(id)
                    .before(svc.world()
                            .webhooks()
                            .find(partner, id)
                            .map(old -> ChannelRoutes.webhookView(old, false))
                            .orElse(null));
            Endpoint set = svc.world().webhooks().apply(checked);
            a.after(ChannelRoutes.webhookView(set, false));
            return set;
        });
        s.flash("Messaging webhook of " + id + " saved.");
        ctx.redirect("/ui/channels/" + Html.q(id), HttpStatus.SEE_OTHER);
    }

    void deleteWebhook(Context ctx, UiSessions.Session s) {
        String id = ctx.pathParam("id");
        var partner = s.partner();
        svc.changes().trail().record(s.actor(), "channel_webhook.delete", "channel", a -> {
            a.target(id).before(ChannelRoutes.webhookView(svc.world().webhooks().get(partner, id), false));
            svc.world().webhooks().delete(partner, id);
            return null;
        });
        s.flash("Messaging webhook of " + id + " removed.");
        ctx.redirect("/ui/channels/" + Html.q(id), HttpStatus.SEE_OTHER);
    }

    /** "Name: value" lines; a line without a colon is an error on the headers field. */
    private static Map<String, String> headers(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String line : raw.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int c = line.indexOf(':');
            if (c <= 0) {
                throw new InvalidInputException("headers", "each line must be Name: value");
            }
            out.put(line.substring(0, c).strip(), line.substring(c + 1).strip());
        }
        return out;
    }

    private static String empty(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static String options(List<String> values, String selected) {
        StringBuilder sb = new StringBuilder();
        for (String o : values) {
            sb.append("<option")
                    .append(o.equals(selected) ? " selected" : "")
                    .append('>')
                    .append(esc(o))
                    .append("</option>");
        }
        return sb.toString();
    }

    /** The number's own fields live under setup_info in the channel's state. */
    private static String setup(ObjectNode n, String field) {
        return n.path("setup_info").hasNonNull(field)
                ? n.path("setup_info").get(field).asText()
                : "";
    }

    private static String text(ObjectNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "";
    }
}
