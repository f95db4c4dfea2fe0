package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageApiKeys;

/**
 * A partner's API keys: the operator issues, lists and revokes them
 * ({@code /platform/v1/partners/{partner_id}/api-keys}); a partner rolls the key it calls with
 * ({@code POST /v1/api-keys/roll}). Every change is audited (target type {@code api_key}); the key
 * itself appears only in the answer that issues it, and masked in the audit row.
 */
public final class ApiKeyRoutes implements RouteGroup {
    private static final String TARGET = "api_key";

    private final ManageApiKeys keys;
    private final AuditTrail audit;

    public ApiKeyRoutes(ManageApiKeys keys, AuditTrail audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public void register(Routes r) {
        r.operator()
                .post("/platform/v1/partners/{partner_id}/api-keys", this::create)
                .get("/platform/v1/partners/{partner_id}/api-keys", this::list)
                .delete("/platform/v1/partners/{partner_id}/api-keys/{key_id}", this::revoke);
        r.partner().post("/v1/api-keys/roll", this::roll);
    }

    private void create(Context ctx) {
        PartnerId partner = partnerId(ctx);
        if (ctx.bodyAsBytes().length > 0) {
            Json.onlyFields(Json.object(ctx));
        }
        ObjectNode out = audit.record(Actor.OPERATOR, "api_key.create", TARGET, a -> {
            ManageApiKeys.Issued issued = keys.create(partner);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("id", issued.key().id().value());
            view.put("api_key", issued.secret());
            view.put("created_at", Times.format(issued.key().createdAt()));
            a.owner(partner.value()).target(issued.key().id().value()).after(view);
            return view;
        });
        Json.send(ctx, 201, out);
    }

    private void list(Context ctx) {
        ArrayNode data = Json.MAPPER.createArrayNode();
        keys.list(partnerId(ctx)).forEach(k -> data.add(view(k)));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("data", data);
        Json.send(ctx, 200, out);
    }

    private void revoke(Context ctx) {
        PartnerId partner = partnerId(ctx);
        String keyId = ctx.pathParam("key_id");
        audit.record(Actor.OPERATOR, "api_key.revoke", TARGET, a -> {
            ApiKey before = keys.revoke(partner, keyId);
            a.owner(partner.value()).target(keyId).before(view(before));
            return null;
        });
        ctx.status(204);
    }

    private void roll(Context ctx) {
        Partner p = Auth.partner(ctx);
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        Json.onlyFields(body, "expire_current_in_seconds");
        Long seconds = optionalSeconds(body, "expire_current_in_seconds");
        ObjectNode out = audit.record(Actor.partner(p.id()), "api_key.roll", TARGET, a -> {
            ManageApiKeys.Rolled rolled = keys.roll(p.id(), Auth.apiKey(ctx), seconds);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("id", rolled.fresh().key().id().value());
            view.put("api_key", rolled.fresh().secret());
            view.put("current_expires_at", Times.format(rolled.currentExpiresAt()));
            ObjectNode after = view.deepCopy();
            after.put("rolled_key_id", rolled.current().id().value());
            a.owner(p.id().value())
                    .target(rolled.fresh().key().id().value())
                    .before(view(rolled.current()))
                    .after(after);
            return view;
        });
        Json.send(ctx, 201, out);
    }

    private static ObjectNode view(ApiKey k) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", k.id().value());
        n.put("prefix", k.prefix());
        n.put("created_at", Times.format(k.createdAt()));
        n.put("last_used_at", Times.format(k.lastUsedAt()));
        n.put("expires_at", Times.format(k.expiresAt()));
        return n;
    }

    /** The path's partner id; junk is 404 like an unknown id. */
    private static PartnerId partnerId(Context ctx) {
        String raw = ctx.pathParam("partner_id");
        if (!Ids.looksLike(raw, Ids.PARTNER)) {
            throw new NotFoundException("partner_id", "no partner " + raw);
        }
        return new PartnerId(raw);
    }

    private static Long optionalSeconds(ObjectNode o, String field) {
        var n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new InvalidInputException(field, "must be a whole number of seconds");
        }
        return n.longValue();
    }
}
