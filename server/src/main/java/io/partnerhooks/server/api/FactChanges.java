package io.partnerhooks.server.api;

import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.server.api.model.FactEventRef;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the routes that record facts (workspaces' WhatsApp accounts and API tokens, clients,
 * channels) share: the audited change and the events it published, as answers name them.
 */
final class FactChanges {
    private final RecordFacts facts;
    private final Consumer<String> published;
    private final AuditTrail audit;

    /** {@code published} hears the type of each event a change published (metrics). */
    FactChanges(RecordFacts facts, Consumer<String> published, AuditTrail audit) {
        this.facts = facts;
        this.published = published;
        this.audit = audit;
    }

    RecordFacts facts() {
        return facts;
    }

    /**
     * Runs a fact change with its audit row: the stored state before and after, and no row when the
     * report repeated the current state (a no-op).
     */
    <T> T audited(Actor actor, String action, String kind, String id, Supplier<T> change) {
        return audit.record(actor, action, kind, a -> {
            Optional<Entity> before = facts.current(kind, id);
            before.ifPresent(e -> a.before(Json.parse(e.stateJson())));
            T result = change.get();
            Optional<Entity> after = facts.current(kind, id);
            a.target(id);
            after.ifPresent(e -> a.owner(e.partnerId()).after(Json.parse(e.stateJson())));
            if (before.map(Entity::stateJson).equals(after.map(Entity::stateJson))) {
                a.nothingChanged();
            }
            return result;
        });
    }

    /** The events a change published, as its answer names them; each is counted as published. */
    List<FactEventRef> events(List<Event> events) {
        return events.stream()
                .map(e -> {
                    published.accept(e.type());
                    return FactEventRef.of(e);
                })
                .toList();
    }
}
