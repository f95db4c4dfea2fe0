package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.port.EntityStore.Emission;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Meta's callbacks as received, the record of which messages and statuses were already relayed,
 * and the channel lookups that route them. A callback, its relays and its partner events are
 * written in one transaction, so a 200 to Meta means all of it is durable.
 */
public interface MetaInbox {
    /**
     * A change to relay to a number's messaging endpoint. It is written only when at least one of
     * its {@code keys} (one per message or status it holds) was not relayed before for this channel.
     */
    record Relay(
            String channelId, List<String> keys, Event event, List<NewDelivery> deliveries, List<StatusMark> statuses) {
        public Relay(String channelId, List<String> keys, Event event, List<NewDelivery> deliveries) {
            this(channelId, keys, event, deliveries, List.of());
        }
    }

    /**
     * A message status a relay carries, ranked for monotonic webhooks (sent < delivered < read <
     * played; failed ends the message). {@code rank} 0: not ranked (never held back).
     */
    record StatusMark(String wamid, String status, int rank) {
        public static int rankOf(String status) {
            return switch (status == null ? "" : status) {
                case "sent" -> 10;
                case "delivered" -> 20;
                case "read" -> 30;
                case "played" -> 40;
                case "failed" -> 100;
                default -> 0;
            };
        }
    }

    /**
     * A WhatsApp Business Account change turned into a partner event. Meta redelivers these as it
     * does messages: the event is written only when {@code key} (see
     * {@link io.partnerhooks.core.meta.MetaEvents#accountKey}) was not seen before for the account.
     * The keys are kept with the relays' and live as long (at least Meta's seven days of redelivery).
     */
    record AccountEvent(String wabaId, String key, Emission emission) {}

    /** What a save wrote: the relays and partner events, and how many relays and account changes were repeats. */
    /** {@code superseded}: pending deliveries the new account events superseded (collapse). */
    record Saved(List<Event> events, int relayed, int duplicates, int superseded, Set<EventId> heldBack) {
        public Saved(List<Event> events, int relayed, int duplicates) {
            this(events, relayed, duplicates, 0, Set.of());
        }

        public Saved(List<Event> events, int relayed, int duplicates, int superseded) {
            this(events, relayed, duplicates, superseded, Set.of());
        }
    }

    /**
     * Stores the callback, keeps each relay that carries something new (recording its keys), and
     * writes each partner event whose key is new (recording it), in one transaction. The callback's {@code relayed} and
     * {@code duplicates} are filled in from what was kept.
     */
    Saved save(InboxCallback callback, List<Relay> relays, List<AccountEvent> partnerEvents);

    /** Callbacks with something that found no channel, newest first. */
    List<InboxCallback> unrouted(int limit, String afterId);

    /** The channel whose Meta phone number id this is. */
    Optional<Entity> channelByPhoneNumberId(String phoneNumberId);

    /** A channel on this WhatsApp Business Account (its partner owns the account). */
    Optional<Entity> channelByWabaId(String wabaId);
}
