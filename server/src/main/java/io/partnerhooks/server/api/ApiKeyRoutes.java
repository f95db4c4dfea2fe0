package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.server.api.model.ApiKeyCreateRequest;
import io.partnerhooks.server.api.model.ApiKeyCreatedResponse;
import io.partnerhooks.server.api.model.ApiKeyListResponse;
import io.partnerhooks.server.api.model.ApiKeyResponse;
import io.partnerhooks.server.api.model.ApiKeyRollRequest;
import io.partnerhooks.server.api.model.ApiKeyRolledResponse;

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
        Bodies.readOrEmpty(ctx, ApiKeyCreateRequest.class);
        ApiKeyCreatedResponse out = audit.record(Actor.OPERATOR, "api_key.create", TARGET, a -> {
            ApiKeyCreatedResponse view = ApiKeyCreatedResponse.of(keys.create(partner));
            a.owner(partner.value()).target(view.id()).after(Bodies.RECORDS.valueToTree(view));
            return view;
        });
        Json.send(ctx, 201, out);
    }

    private void list(Context ctx) {
        var data = keys.list(partnerId(ctx)).stream().map(ApiKeyResponse::of).toList();
        Json.send(ctx, 200, new ApiKeyListResponse(data));
    }

    private void revoke(Context ctx) {
        PartnerId partner = partnerId(ctx);
        String keyId = ctx.pathParam("key_id");
        audit.record(Actor.OPERATOR, "api_key.revoke", TARGET, a -> {
            ApiKey before = keys.revoke(partner, keyId);
            a.owner(partner.value()).target(keyId).before(Bodies.RECORDS.valueToTree(ApiKeyResponse.of(before)));
            return null;
        });
        ctx.status(204);
    }

    private void roll(Context ctx) {
        Partner p = Auth.partner(ctx);
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        ApiKeyRollRequest request = bindCountingSeconds(body, ApiKeyRollRequest.class, "expire_current_in_seconds");
        ApiKeyRolledResponse out = audit.record(Actor.partner(p.id()), "api_key.roll", TARGET, a -> {
            ManageApiKeys.Rolled rolled = keys.roll(p.id(), Auth.apiKey(ctx), request.expireCurrentInSeconds());
            ApiKeyRolledResponse view = ApiKeyRolledResponse.of(rolled);
            ObjectNode after = Bodies.RECORDS.valueToTree(view);
            after.put("rolled_key_id", rolled.current().id().value());
            a.owner(p.id().value())
                    .target(view.id())
                    .before(Bodies.RECORDS.valueToTree(ApiKeyResponse.of(rolled.current())))
                    .after(after);
            return view;
        });
        Json.send(ctx, 201, out);
    }

    /** The path's partner id; junk is 404 like an unknown id. */
    private static PartnerId partnerId(Context ctx) {
        String raw = ctx.pathParam("partner_id");
        if (!Ids.looksLike(raw, Ids.PARTNER)) {
            throw new NotFoundException("partner_id", "no partner " + raw);
        }
        return new PartnerId(raw);
    }

    /**
     * {@link Bodies#bind}, but a {@code field} that is not a whole number is told to count seconds
     * (the portal links' {@code expires_in_seconds} reads the same way).
     */
    static <R extends Record> R bindCountingSeconds(ObjectNode body, Class<R> type, String field) {
        try {
            return Bodies.bind(body, type);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.errors().stream()
                    .map(x -> x.field().equals(field) && x.detail().equals("must be a whole number")
                            ? new FieldError(field, "must be a whole number of seconds")
                            : x)
                    .toList());
        }
    }
}
