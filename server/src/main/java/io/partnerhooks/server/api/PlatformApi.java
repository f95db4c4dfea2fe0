package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.usecase.CreatePartner;
import io.partnerhooks.core.usecase.PublishEvent;

/** {@code /platform/v1/...}: what the platform's own services tell us, with the operator token. */
public final class PlatformApi {
    private final CreatePartner createPartner;
    private final PublishEvent publishEvent;
    private final java.util.function.Consumer<String> published;
    private final io.partnerhooks.core.usecase.AuditTrail audit;

    public PlatformApi(CreatePartner createPartner, PublishEvent publishEvent, java.util.function.Consumer<String> published,
            io.partnerhooks.core.usecase.AuditTrail audit) {
        this.audit = audit;
        this.createPartner = createPartner;
        this.publishEvent = publishEvent;
        this.published = published;
    }

    public void register(RoutesConfig r, Auth auth) {
        r.before("/platform/*", auth::requireOperator);
        r.post("/platform/v1/partners", this::createPartner);
        r.post("/platform/v1/events", this::publish);
    }

    private void createPartner(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "name");
        String name = Json.requiredString(body, "name");
        ObjectNode out = audit.record(io.partnerhooks.core.usecase.AuditTrail.Actor.OPERATOR, "partner.create", "partner", a -> {
            CreatePartner.Created c = createPartner.create(name);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("id", c.partner().id().value());
            view.put("name", c.partner().name());
            view.put("api_key", c.apiKey());
            view.put("created_at", io.partnerhooks.core.domain.Times.format(c.partner().createdAt()));
            a.target(c.partner().id().value()).owner(c.partner().id().value()).after(view);
            return view;
        });
        Json.send(ctx, 201, out);
    }

    private void publish(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "type", "partner_id", "subject", "data", "idempotency_key");
        String subject = Json.optionalObjectText(body, "subject");
        PublishEvent.Published p = publishEvent.publish(new PublishEvent.Request(
                Json.requiredString(body, "type"),
                Json.requiredString(body, "partner_id"),
                subject,
                Json.optionalObjectText(body, "data"),
                Json.optionalString(body, "idempotency_key"),
                io.partnerhooks.core.domain.Subjects.key(body.get("subject"))));
        if (p.created()) {
            published.accept(body.get("type").asText());
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", p.id().value());
        out.put("created", p.created());
        Json.send(ctx, 202, out);
    }
}
