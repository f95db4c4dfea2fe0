package io.partnerhooks.core.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Which events to list: a type ({@code a.b.c}, {@code a.*} or null for all), a time range (either end
 * may be null), and whether only events with a failed delivery count. {@code outcome} (null:
 * any) keeps the events whose deliveries, taken together, are in that {@link Outcome}.
 */
public record EventFilter(
        String type,
        Instant since,
        Instant until,
        boolean failedOnly,
        String workspaceId,
        String channelId,
        String phoneNumber,
        Outcome outcome) {
    public static final EventFilter ALL = new EventFilter(null, null, null, false, null, null, null);

    public EventFilter(
            String type,
            Instant since,
            Instant until,
            boolean failedOnly,
            String workspaceId,
            String channelId,
            String phoneNumber) {
        this(type, since, until, failedOnly, workspaceId, channelId, phoneNumber, null);
    }

    /**
     * An event's deliveries taken together: all of them in one status (delivered, pending, failed,
     * superseded), of more than one status (mixed), or none at all (no endpoint subscribed).
     */
    public enum Outcome {
        DELIVERED("delivered"),
        PENDING("pending"),
        FAILED("failed"),
        SUPERSEDED("superseded"),
        MIXED("mixed"),
        NONE("none");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Outcome> fromWire(String s) {
            for (Outcome o : values()) {
                if (o.wire.equals(s)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }

        /** The outcome of deliveries in these statuses (one entry per delivery or per status, alike). */
        public static Outcome of(Collection<DeliveryStatus> statuses) {
            if (statuses.isEmpty()) {
                return NONE;
            }
            var first = statuses.iterator().next();
            for (var st : statuses) {
                if (st != first) {
                    return MIXED;
                }
            }
            return fromWire(first.wire()).orElse(MIXED);
        }
    }
}
