package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.server.OperatorToken;

/** Bearer authentication for the partner API (API keys) and the platform API (operator token). */
public final class Auth {
    private static final String PARTNER_ATTR = "partnerhooks.partner";

    private final PartnerStore partners;
    private final OperatorToken operatorToken;

    public Auth(PartnerStore partners, OperatorToken operatorToken) {
        this.partners = partners;
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

    /** Before-handler for /v1/*: resolves the partner from its API key, or answers 401. */
    public void requirePartner(Context ctx) {
        String key = bearer(ctx);
        Partner p = partners.findByApiKeyHash(Tokens.hash(key))
                .orElseThrow(() -> Problems.unauthorized("unknown API key"));
        ctx.attribute(PARTNER_ATTR, p);
    }

    /** Before-handler for /platform/*. */
    public void requireOperator(Context ctx) {
        if (!operatorToken.matches(bearer(ctx))) {
            throw Problems.unauthorized("wrong operator token");
        }
    }

    public static Partner partner(Context ctx) {
        Partner p = ctx.attribute(PARTNER_ATTR);
        if (p == null) {
            throw Problems.unauthorized("not authenticated");
        }
        return p;
    }
}
