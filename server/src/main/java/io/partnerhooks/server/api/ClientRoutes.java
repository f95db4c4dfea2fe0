package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.RecordFacts;
import java.util.function.Consumer;

/** {@code PUT /platform/v1/clients/{client_id}}: the platform reports a client (a partner's customer). */
public final class ClientRoutes implements RouteGroup {
    private final FactChanges changes;

    public ClientRoutes(RecordFacts facts, Consumer<String> published, AuditTrail audit) {
        this.changes = new FactChanges(facts, published, audit);
    }

    @Override
    public void register(Routes r) {
        r.operator().put("/platform/v1/clients/{client_id}", this::upsertClient);
    }

    private void upsertClient(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "partner_id", "name", "contact_info");
        JsonNode contact = body.get("contact_info");
        if (contact != null && !contact.isNull() && !contact.isObject()) {
            throw new InvalidInputException("contact_info", "must be a JSON object");
        }
        String clientId = ctx.pathParam("client_id");
        String partnerId = Json.requiredString(body, "partner_id");
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "client.upsert",
                RecordFacts.CLIENT,
                clientId,
                () -> changes.facts()
                        .upsertClient(
                                clientId,
                                partnerId,
                                Json.optionalString(body, "name"),
                                contact == null || contact.isNull() ? null : (ObjectNode) contact));
        changes.send(ctx, r, "client");
    }
}
