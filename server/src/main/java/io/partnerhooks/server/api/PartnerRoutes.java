package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.CreatePartner;
import io.partnerhooks.server.api.model.PartnerCreatedResponse;
import io.partnerhooks.server.api.model.PartnerRequest;

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
        PartnerRequest body = Bodies.read(ctx, PartnerRequest.class);
        PartnerCreatedResponse out = audit.record(AuditTrail.Actor.OPERATOR, "partner.create", "partner", a -> {
            PartnerCreatedResponse view = PartnerCreatedResponse.of(createPartner.create(body.name()));
            a.target(view.id()).owner(view.id()).after(Bodies.RECORDS.valueToTree(view));
            return view;
        });
        Json.send(ctx, 201, out);
    }
}
