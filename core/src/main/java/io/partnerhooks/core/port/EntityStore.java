package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Small stateful facts the platform reports (WhatsApp accounts, clients, channels, API tokens):
 * a JSON state per (kind, id), changed under a row lock together with the events the change
 * causes, in one transaction. Repeating the current state is therefore a no-op even when two
 * nodes receive the same report at once.
 */
public interface EntityStore {
    record Entity(String kind, String id, String partnerId, String stateJson) {}

    /** An event to write with its deliveries. */
    record Emission(Event event, List<NewDelivery> deliveries) {}

    /** The new state (null: leave it as it is) and the events to write. */
    record Outcome(Entity next, List<Emission> emit) {
        public static Outcome unchanged() {
            return new Outcome(null, List.of());
        }
    }

    @FunctionalInterface
    interface Step {
        /** Decides from the current state (empty when new); may throw to refuse the change. */
        Outcome apply(Optional<Entity> current);
    }

    /** Applies the step in one transaction and returns the events it wrote (with their sequence numbers). */
    List<Event> change(String kind, String id, Step step, Instant now);

    Optional<Entity> find(String kind, String id);

    List<Entity> list(PartnerId partner, String kind, int limit, String afterId);
}
