package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.partnerhooks.core.delivery.formats.Dialog360Format;
import io.partnerhooks.core.delivery.formats.NinetyNineDigitalFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.server.api.model.Webhook99Response;
import io.partnerhooks.server.api.model.WebhookUrl360Response;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Provider-compatible settings routes, so a partner's existing client for 99digital or 360dialog can
 * set and read its webhook here unchanged. Each manages the partner's default endpoint of that
 * provider's format (docs/compatibility.md).
 *
 * <p>The 99digital routes answer in 99digital's shape, {@code {"status","url","reason"}}, always with
 * HTTP 200 (their clients read {@code status} and {@code reason}, not the HTTP status), never
 * problem+json. The 360dialog routes answer {@code {"webhook_url"}}; their errors are ordinary
 * problem answers (401, 404, 400 naming {@code webhook_url}). Both accept the body whatever its
 * Content-Type says, as long as it is a JSON object or a form.
 */
public final class CompatRoutes implements RouteGroup {
    static final int REASON_OK = 1;
    static final int REASON_WRONG_CREDENTIALS = 2;
    static final int REASON_TOKEN_MISSING = 3;
    static final int REASON_URL_INVALID = 13;

    private final ManageEndpoints endpoints;
    private final AuditedChanges changes;
    private final ManageApiKeys keys;

    /** Setting a webhook here is audited as {@code endpoint.create} / {@code endpoint.update} of the default endpoint. */
    public CompatRoutes(ManageEndpoints endpoints, AuditedChanges changes, ManageApiKeys keys) {
        this.endpoints = endpoints;
        this.changes = changes;
        this.keys = keys;
    }

    /** Open to the seam: each route checks the provider's own credential (an API key in the provider's header). */
    @Override
    public void register(Routes r) {
        r.open()
                .post("/api/settings/setWebhook", this::setWebhook99)
                .get("/api/settings/getWebhook", this::getWebhook99)
                .get("/api/v2/partners/{partner_id}/webhook_url", this::getWebhookUrl360)
                .post("/api/v2/partners/{partner_id}/webhook_url", this::setWebhookUrl360);
    }

    // ---- 99digital ----

    private void setWebhook99(Context ctx) {
        Partner p = partner99(ctx);
        if (p == null) {
            return;
        }
        Map<String, String> body = fields(ctx);
        String url = body == null ? null : body.get("url");
        if (url == null || url.isBlank()) {
            answer99(ctx, false, url == null ? "" : url, REASON_URL_INVALID);
            return;
        }
        url = url.strip();
        try {
            Endpoint e = changes.setDefaultEndpoint(Actor.partner(p.id()), p.id(), NinetyNineDigitalFormat.NAME, url);
            answer99(ctx, true, e.url(), REASON_OK);
        } catch (InvalidInputException invalid) {
            answer99(ctx, false, url, REASON_URL_INVALID);
        }
    }

    private void getWebhook99(Context ctx) {
        Partner p = partner99(ctx);
        if (p == null) {
            return;
        }
        String url = endpoints
                .findDefault(p.id(), NinetyNineDigitalFormat.NAME)
                .map(Endpoint::url)
                .orElse("");
        answer99(ctx, true, url, REASON_OK);
    }

    /** The partner of the Bearer key, or null after answering reason 3 (no token) or 2 (unknown token). */
    private Partner partner99(Context ctx) {
        String h = ctx.header("Authorization");
        String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).strip()
                : "";
        if (key.isEmpty()) {
            answer99(ctx, false, "", REASON_TOKEN_MISSING);
            return null;
        }
        Optional<Partner> p = keys.authenticate(key).map(KeyHolder::partner);
        if (p.isEmpty()) {
            answer99(ctx, false, "", REASON_WRONG_CREDENTIALS);
            return null;
        }
        return p.get();
    }

    private static void answer99(Context ctx, boolean ok, String url, int reason) {
        Json.send(ctx, 200, Webhook99Response.of(ok, url, reason));
    }

    // ---- 360dialog ----

    private void getWebhookUrl360(Context ctx) {
        Partner p = partner360(ctx);
        String url = endpoints
                .findDefault(p.id(), Dialog360Format.NAME)
                .map(Endpoint::url)
                .orElse(null);
        Json.send(ctx, 200, new WebhookUrl360Response(url));
    }

    private void setWebhookUrl360(Context ctx) {
        Partner p = partner360(ctx);
        Map<String, String> body = fields(ctx);
        if (body == null) {
            throw new InvalidInputException("body", "must be a JSON object with webhook_url");
        }
        String url = body.get("webhook_url");
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("webhook_url", "is required");
        }
        Endpoint e;
        try {
            e = changes.setDefaultEndpoint(Actor.partner(p.id()), p.id(), Dialog360Format.NAME, url.strip());
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(invalid.errors().stream()
                    .map(fe -> new InvalidInputException.FieldError(
                            fe.field().equals("url") ? "webhook_url" : fe.field(), fe.detail()))
                    .toList());
        }
        Json.send(ctx, 200, new WebhookUrl360Response(e.url()));
    }

    /** 360dialog's partner key comes in X-API-Key (or as a Bearer token); another partner's id is 404. */
    private Partner partner360(Context ctx) {
        String key = ctx.header("X-API-Key");
        if (key == null || key.isBlank()) {
            key = Auth.bearer(ctx);
        }
        Partner p = keys.authenticate(key.strip())
                .map(KeyHolder::partner)
                .orElseThrow(() -> new Problems.ProblemException(401, "unauthorized", "unknown API key", "X-API-Key"));
        if (!p.id().value().equals(ctx.pathParam("partner_id"))) {
            throw new NotFoundException("partner_id", "no partner " + ctx.pathParam("partner_id"));
        }
        return p;
    }

    // ---- shared ----

    /** The body's top-level string fields, from a JSON object or a form; empty for no body; null when unreadable. */
    private static Map<String, String> fields(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            return Map.of();
        }
        String type = ctx.header("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> out = new HashMap<>();
            ctx.formParamMap().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.put(k, v.get(0));
                }
            });
            return out;
        }
        JsonNode n;
        try {
            n = Json.tree(raw); // as strict as the rest of the API: UTF-8, one document, no key twice
        } catch (InvalidInputException e) {
            return null;
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        n.fields().forEachRemaining(f -> {
            if (f.getValue().isTextual()) {
                out.put(f.getKey(), f.getValue().textValue());
            }
        });
        return out;
    }
}
