package io.partnerhooks.core.usecase;

import static io.partnerhooks.core.usecase.FactEvents.text;
import static io.partnerhooks.core.usecase.RecordFacts.TOKEN;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EntityStore.Outcome;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.usecase.RecordFacts.RotatedToken;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** The Public API token (TimelinesAI) rotated; behind {@link RecordFacts}. */
final class TokenFacts {
    private final EntityStore entities;
    private final WorkspaceStore workspaces;
    private final EndpointStore endpoints;
    private final Clock clock;
    private final RandomGenerator random;
    private final FactEvents shared;

    TokenFacts(
            EntityStore entities,
            WorkspaceStore workspaces,
            EndpointStore endpoints,
            Clock clock,
            RandomGenerator random,
            FactEvents shared) {
        this.entities = entities;
        this.workspaces = workspaces;
        this.endpoints = endpoints;
        this.clock = clock;
        this.random = random;
        this.shared = shared;
    }

    public RotatedToken rotateApiToken(PartnerId partner, String workspaceId) {
        WorkspaceId.parse(workspaceId)
                .flatMap(id -> workspaces.find(partner, id))
                .orElseThrow(() -> new NotFoundException("id", "no workspace " + workspaceId));
        String token = "tok_" + Tokens.random256(random);
        Instant now = Times.millis(clock.instant());
        List<Endpoint> subscribers = endpoints.listEnabled(partner);
        List<Event> events = entities.change(
                TOKEN,
                workspaceId,
                current -> {
                    ObjectNode next = JsonNodeFactory.instance.objectNode();
                    next.put("token_sha256", Tokens.hash(token));
                    next.put("rotated_at", Times.format(now));
                    ObjectNode data = JsonNodeFactory.instance.objectNode();
                    data.put("workspace_id", workspaceId);
                    data.put("rotated_at", Times.format(now));
                    data.put("triggered_at", Times.format(now));
                    return new Outcome(
                            new Entity(TOKEN, workspaceId, partner.value(), text(next)),
                            List.of(shared.emission(
                                    partner,
                                    "api_token.rotated",
                                    Map.of("workspace_id", workspaceId),
                                    "workspace_id:" + workspaceId,
                                    data,
                                    subscribers,
                                    now)));
                },
                now);
        shared.wake();
        return new RotatedToken(token, now, events);
    }
}
