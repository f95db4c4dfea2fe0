package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.server.OperatorToken;

/** Bearer authentication for the partner API (API keys) and the platform API (operator token). */
public final class Auth {
    private static final String PARTNER_ATTR = "partnerhooks.partner";
    private static final String KEY_ATTR = "partnerhooks.api_key";

    private final ManageApiKeys keys;
    private final OperatorToken operatorToken;

    public Auth(ManageApiKeys keys, OperatorToken operatorToken) {
        this.keys = keys;
        this.operatorToken = operatorToken;
    }

    static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.isBlank()) {
            throw Problems.unauthorized("missing Authorization: Bearer <token>");
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() <= 7) {
            throw Problems.unauthorized("Authorization must be 'Bearer <token>'");
        }
        return h.substring(7).strip();
    }

    /**
     * Before-handler for /v1/*: resolves the partner from its API key, or answers 401 (unknown,
     * revoked and expired keys alike, so the answer tells an attacker nothing about a key's past).
     */
    public void requirePartner(Context ctx) {
        String key = bearer(ctx);
        KeyHolder h = keys.authenticate(key).orElseThrow(() -> Problems.unauthorized("unknown API key"));
        ctx.attribute(PARTNER_ATTR, h.partner());
        ctx.attribute(KEY_ATTR, h.key().id());
    }

    /** Before-handler for /platform/*. */
    public void requireOperator(Context ctx) {
        if (!operatorToken.matches(bearer(ctx))) {
            throw Problems.unauthorized("wrong operator token");
        }
    }

    /** The id of the API key the request was made with. */
    public static ApiKeyId apiKey(Context ctx) {
        ApiKeyId id = ctx.attribute(KEY_ATTR);
        if (id == null) {
            throw Problems.unauthorized("not authenticated");
        }
        return id;
    }

    public static Partner partner(Context ctx) {
        Partner p = ctx.attribute(PARTNER_ATTR);
        if (p == null) {
            throw Problems.unauthorized("not authenticated");
        }
        return p;
    }
}
