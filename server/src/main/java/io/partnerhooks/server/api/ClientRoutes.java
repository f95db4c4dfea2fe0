package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.server.api.model.ClientFactResponse;
import io.partnerhooks.server.api.model.ClientRequest;
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
        ClientRequest body = Bodies.read(ctx, ClientRequest.class);
        String clientId = ctx.pathParam("client_id");
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "client.upsert",
                RecordFacts.CLIENT,
                clientId,
                () -> changes.facts().upsertClient(clientId, body.partnerId(), body.name(), body.contactInfo()));
        Json.send(ctx, 200, new ClientFactResponse(r.state(), changes.events(r.events())));
    }
}
