package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.PortalLinks;
import io.partnerhooks.server.api.model.PortalLinkRequest;
import io.partnerhooks.server.api.model.PortalLinkResponse;
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
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        PortalLinkRequest request =
                ApiKeyRoutes.bindCountingSeconds(body, PortalLinkRequest.class, "expires_in_seconds");
        long ttl =
                request.expiresInSeconds() == null ? PortalLinks.DEFAULT_TTL.toSeconds() : request.expiresInSeconds();
        boolean mode = request.readOnly() != null && request.readOnly();
        PortalLinkResponse out = audit.record(AuditTrail.Actor.OPERATOR, "portal_link.create", "portal_link", a -> {
            PortalLinks.Issued issued = links.create(partner, ttl, mode);
            ObjectNode recorded = Json.MAPPER.createObjectNode();
            recorded.put("partner_id", partner.value());
            recorded.put("read_only", mode);
            recorded.put("expires_at", Times.format(issued.expiresAt()));
            a.target(partner.value()).owner(partner.value()).after(recorded);
            return new PortalLinkResponse(origin.get() + "/ui/portal/" + issued.token(), issued.expiresAt());
        });
        Json.send(ctx, 201, out);
    }
}
