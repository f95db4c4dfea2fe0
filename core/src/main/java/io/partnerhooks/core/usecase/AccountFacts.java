package io.partnerhooks.core.usecase;

import static io.partnerhooks.core.usecase.FactEvents.parse;
import static io.partnerhooks.core.usecase.FactEvents.text;
import static io.partnerhooks.core.usecase.RecordFacts.ACCOUNT;
import static io.partnerhooks.core.usecase.RecordFacts.checkId;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EntityStore.Outcome;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.quota.WorkspaceState;
import io.partnerhooks.core.usecase.RecordFacts.Recorded;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** WhatsApp accounts (TimelinesAI) connected or lost; behind {@link RecordFacts}. */
final class AccountFacts {
    private final EntityStore entities;
    private final WorkspaceStore workspaces;
    private final EndpointStore endpoints;
    private final Clock clock;
    private final FactEvents shared;

    AccountFacts(
            EntityStore entities, WorkspaceStore workspaces, EndpointStore endpoints, Clock clock, FactEvents shared) {
        this.entities = entities;
        this.workspaces = workspaces;
        this.endpoints = endpoints;
        this.clock = clock;
        this.shared = shared;
    }

    public Recorded whatsappAccount(
            String workspaceId, String accountId, boolean connected, String phoneNumber, String userId, String reason) {
        checkId(workspaceId, "workspace_id");
        checkId(accountId, "account_id");
        WorkspaceState ws = workspaces
                .findAny(new WorkspaceId(workspaceId))
                .orElseThrow(() -> new NotFoundException("workspace_id", "no workspace " + workspaceId));
        PartnerId partner = new PartnerId(ws.partnerId());
        String state = connected ? "connected" : "disconnected";
        List<Endpoint> subscribers = endpoints.listEnabled(partner);
        Instant now = Times.millis(clock.instant());
        ObjectNode[] result = new ObjectNode[1];
        List<Event> events = entities.change(
                ACCOUNT,
                workspaceId + "/" + accountId,
                current -> {
                    ObjectNode s =
                            current.map(e -> parse(e.stateJson())).orElseGet(JsonNodeFactory.instance::objectNode);
                    result[0] = s;
                    if (state.equals(s.path("state").asText(null))) {
                        return Outcome.unchanged();
                    }
                    ObjectNode next = JsonNodeFactory.instance.objectNode();
                    next.put("workspace_id", workspaceId);
                    next.put("whatsapp_account_id", accountId);
                    next.put("state", state);
                    next.put(
                            "phone_number",
                            phoneNumber != null
                                    ? phoneNumber
                                    : s.path("phone_number").asText(null));
                    next.put(
                            "user_id",
                            userId != null ? userId : s.path("user_id").asText(null));
                    next.put("changed_at", Times.format(now));
                    result[0] = next;
                    ObjectNode data = next.deepCopy();
                    data.remove("state");
                    data.put("reason", reason);
                    data.put("triggered_at", Times.format(now));
                    Map<String, String> subject = Map.of("workspace_id", workspaceId);
                    return new Outcome(
                            new Entity(ACCOUNT, workspaceId + "/" + accountId, partner.value(), text(next)),
                            List.of(shared.emission(
                                    partner,
                                    "whatsapp_account." + state,
                                    subject,
                                    "workspace_id:" + workspaceId,
                                    data,
                                    subscribers,
                                    now)));
                },
                now);
        return shared.done(result[0], events);
    }
}
