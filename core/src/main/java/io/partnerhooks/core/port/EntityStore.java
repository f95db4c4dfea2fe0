package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Entity;
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
    /** An event to write with its deliveries. */
    record Emission(Event event, List<NewDelivery> deliveries) {}

    /**
     * A value that one partner at most may hold, whatever entity carries it (a WABA id belongs to
     * one partner). The store records the claim for the new state's partner in the change's
     * transaction, under a unique key, and refuses the change with a
     * {@link io.partnerhooks.core.error.ConflictException} naming {@code name} when another partner
     * holds it. A claim stays with its partner once made.
     */
    record Claim(String name, String value) {}

    /** The new state (null: leave it as it is), the events to write and the values the new state claims. */
    record Outcome(Entity next, List<Emission> emit, List<Claim> claims) {
        public Outcome(Entity next, List<Emission> emit) {
            this(next, emit, List.of());
        }

        public static Outcome unchanged() {
            return new Outcome(null, List.of());
        }
    }

    @FunctionalInterface
    interface Step {
        /** Decides from the current state (empty when new); may throw to refuse the change. */
        Outcome apply(Optional<Entity> current);
    }

    /**
     * Applies the step in one transaction and returns the events it wrote (with their sequence
     * numbers). A state that would give a channel's {@code phone_number_id} to a second channel, or a
     * claim another partner holds, is refused with a {@link io.partnerhooks.core.error.ConflictException}
     * naming the field (a unique index decides, so two nodes racing cannot both win).
     */
    List<Event> change(String kind, String id, Step step, Instant now);

    /** The partner's entity; another partner's is not found. */
    Optional<Entity> find(PartnerId partner, String kind, String id);

    /** Whoever owns it, for the platform API (which names the partner in the body) and the audit trail. */
    Optional<Entity> findAny(String kind, String id);

    List<Entity> list(PartnerId partner, String kind, int limit, String afterId);

    /** The channel whose state carries this Meta phone number id (at most one: a unique index). */
    Optional<Entity> channelByPhoneNumberId(String phoneNumberId);

    /** The partner id holding a claimed value (see {@link Claim}), if any. */
    Optional<String> claimHolder(String name, String value);
}
