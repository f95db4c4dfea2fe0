package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.PortalLinks;
import java.util.function.Supplier;

/**
 * {@code POST /platform/v1/partners/{partner_id}/portal-links} (operator token): a one-time link
 * that signs the partner into the dashboard at {@code <PUBLIC_URL>/ui/portal/<token>}. The token is
 * in the answer only; the audit row records the link's partner, expiry and mode, never the token.
 */
public final class PortalLinkRoutes implements RouteGroup {
    private final PortalLinks links;
    private final AuditTrail audit;
    private final Supplier<String> origin;

    public PortalLinkRoutes(PortalLinks links, AuditTrail audit, Supplier<String> origin) {
        this.links = links;
        this.audit = audit;
        this.origin = origin;
    }

    @Override
    public void register(Routes r) {
        r.operator().post("/platform/v1/partners/{partner_id}/portal-links", this::create);
    }

    private void create(Context ctx) {
        String raw = ctx.pathParam("partner_id");
        if (!Ids.looksLike(raw, Ids.PARTNER)) {
            throw new NotFoundException("partner_id", "no partner " + raw);
        }
        PartnerId partner = new PartnerId(raw);
        long seconds = PortalLinks.DEFAULT_TTL.toSeconds();
        boolean readOnly = false;
        if (ctx.bodyAsBytes().length > 0) {
            ObjectNode body = Json.object(ctx);
            Json.onlyFields(body, "expires_in_seconds", "read_only");
            var n = body.get("expires_in_seconds");
            if (n != null && !n.isNull()) {
                if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                    throw new InvalidInputException("expires_in_seconds", "must be a whole number of seconds");
                }
                seconds = n.longValue();
            }
            Boolean ro = Json.optionalBoolean(body, "read_only");
            readOnly = ro != null && ro;
        }
        long ttl = seconds;
        boolean mode = readOnly;
        ObjectNode out = audit.record(AuditTrail.Actor.OPERATOR, "portal_link.create", "portal_link", a -> {
            PortalLinks.Issued issued = links.create(partner, ttl, mode);
            ObjectNode recorded = Json.MAPPER.createObjectNode();
            recorded.put("partner_id", partner.value());
            recorded.put("read_only", mode);
            recorded.put("expires_at", Times.format(issued.expiresAt()));
            a.target(partner.value()).owner(partner.value()).after(recorded);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("url", origin.get() + "/ui/portal/" + issued.token());
            view.put("expires_at", Times.format(issued.expiresAt()));
            return view;
        });
        Json.send(ctx, 201, out);
    }
}
