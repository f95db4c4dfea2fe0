package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.CreatePartner;

/** {@code POST /platform/v1/partners}: the platform creates a partner and its first API key. */
public final class PartnerRoutes implements RouteGroup {
    private final CreatePartner createPartner;
    private final AuditTrail audit;

    public PartnerRoutes(CreatePartner createPartner, AuditTrail audit) {
        this.createPartner = createPartner;
        this.audit = audit;
    }

    @Override
    public void register(Routes r) {
        r.operator().post("/platform/v1/partners", this::createPartner);
    }

    private void createPartner(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "name");
        String name = Json.requiredString(body, "name");
        ObjectNode out = audit.record(AuditTrail.Actor.OPERATOR, "partner.create", "partner", a -> {
            CreatePartner.Created c = createPartner.create(name);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("id", c.partner().id().value());
            view.put("name", c.partner().name());
            view.put("api_key", c.apiKey());
            view.put("created_at", Times.format(c.partner().createdAt()));
            a.target(c.partner().id().value()).owner(c.partner().id().value()).after(view);
            return view;
        });
        Json.send(ctx, 201, out);
    }
}
