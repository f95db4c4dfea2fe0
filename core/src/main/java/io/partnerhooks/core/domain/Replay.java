package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A partner's request to send one endpoint the events of a window again, and how far it got.
 * {@code matched} is what the window held when the replay was asked for; {@code queued} the
 * deliveries made so far (fewer than matched when, say, a missing event got its delivery some
 * other way meanwhile); {@code delivered}, {@code failed} and {@code pending} count those
 * deliveries by their status now. {@code eventTypes} is null when the replay takes the endpoint's
 * subscription as it is.
 */
public record Replay(
        ReplayId id,
        PartnerId partnerId,
        EndpointId endpointId,
        Which which,
        Instant since,
        Instant until,
        List<String> eventTypes,
        State state,
        long matched,
        long queued,
        long delivered,
        long failed,
        long pending,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt) {

    public Replay {
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
    }

    /** Which events of the window: those whose delivery failed, those with no delivery, or all. */
    public enum Which {
        FAILED,
        MISSING,
        ALL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Null for anything else. */
        public static Which fromWire(String s) {
            for (Which w : values()) {
                if (w.wire().equals(s)) {
                    return w;
                }
            }
            return null;
        }
    }

    /**
     * queued: not started yet; running: queuing events, or waiting for its deliveries to finish;
     * completed: every event queued and none of its deliveries pending; cancelled: the endpoint
     * was deleted before it finished.
     */
    public enum State {
        QUEUED,
        RUNNING,
        COMPLETED,
        CANCELLED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
