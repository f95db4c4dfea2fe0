package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EndpointStore.Unannounced;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Operational events (ADR 14): tells a partner's other endpoints, and its stream, that one of its
 * endpoints was disabled, recovered or has been failing for a while, and that a replay finished.
 * Never sent to the endpoint the event is about: that one is the one in trouble.
 *
 * <p>Endpoint states change inside delivery completions, on any node; {@link #sweep} compares each
 * endpoint's state with the one last announced and, in one transaction, moves the announced state
 * on and writes the event with its deliveries. The compare-and-set on the announced state makes a
 * change announced once, whichever node sees it first.
 */
public final class AnnounceOperations {
    public static final String DISABLED = "endpoint.disabled";
    public static final String RECOVERED = "endpoint.recovered";
    public static final String FAILING = "endpoint.failing";
    public static final String REPLAY_COMPLETED = "replay.completed";
    /** How long an endpoint stays in cooldown before its spell is announced as failing. */
    public static final Duration FAILING_AFTER = Duration.ofHours(1);
    /** The most endpoints one sweep looks at; the next sweep takes the rest. */
    static final int BATCH = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EndpointStore endpoints;
    private final EventStore events;
    private final Transactions tx;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable wake;

    public AnnounceOperations(
            EndpointStore endpoints, EventStore events, Transactions tx, IdGenerator ids, Clock clock, Runnable wake) {
        this.endpoints = endpoints;
        this.events = events;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
        this.wake = wake;
    }

    /** One pass over the endpoints whose state is unannounced; returns the events written. */
    public int sweep() {
        Instant now = Times.millis(clock.instant());
        int written = 0;
        for (Unannounced u : endpoints.unannounced(now.minus(FAILING_AFTER), BATCH)) {
            written += announce(u, now) ? 1 : 0;
        }
        if (written > 0) {
            wake.run();
        }
        return written;
    }

    private boolean announce(Unannounced u, Instant now) {
        Endpoint e = u.endpoint();
        String current = e.state();
        String from = u.announced();
        String to = current;
        ObjectNode data =
                JSON.createObjectNode().put("endpoint_id", e.id().value()).put("url", e.url());
        String type;
        if (current.equals("disabled")) {
            type = DISABLED;
            boolean ours = e.health().disabledReason() != null;
            data.put("reason", ours ? e.health().disabledReason() : "disabled by the partner")
                    .put("disabled_by", ours ? "partnerhooks" : "partner")
                    .put(
                            "disabled_at",
                            Times.format(
                                    e.health().disabledAt() != null ? e.health().disabledAt() : now));
        } else if (from.equals("disabled") || (current.equals("active") && !from.equals("active"))) {
            type = RECOVERED;
            data.put("previous_state", from).put("recovered_at", Times.format(now));
        } else if (current.equals("cooldown") && from.equals("cooldown")) {
            type = FAILING;
            to = "failing";
            data.put("consecutive_failures", e.health().consecutiveFailures())
                    .put("cooldown_since", Times.format(u.announcedAt()));
            if (e.health().failingSince() != null) {
                data.put("failing_since", Times.format(e.health().failingSince()));
            }
        } else {
            // active to cooldown: noted silently, so that an hour of it can be told as failing
            type = null;
        }
        String next = to;
        return tx.inTransaction(() -> {
            if (!endpoints.announce(e.partnerId(), e.id(), from, next, now)) {
                return false;
            }
            if (type == null) {
                return false;
            }
            append(e.partnerId(), e.id(), type, subject(e.id(), null), data);
            return true;
        });
    }

    /**
     * Writes {@code replay.completed} for a replay just finished; call it in the unit of work that
     * finishes the replay, so that both happen or neither does.
     */
    public void replayCompleted(Replay r, Instant now) {
        ObjectNode data = JSON.createObjectNode()
                .put("replay_id", r.id().value())
                .put("endpoint_id", r.endpointId().value())
                .put("which", r.which().wire())
                .put("matched", r.matched())
                .put("queued", r.queued())
                .put("delivered", r.delivered())
                .put("failed", r.failed())
                .put("completed_at", Times.format(now));
        append(r.partnerId(), r.endpointId(), REPLAY_COMPLETED, subject(r.endpointId(), r.id().value()), data);
        tx.afterCommit(wake);
    }

    private void append(PartnerId partner, EndpointId about, String type, ObjectNode subject, ObjectNode data) {
        List<Endpoint> others = new ArrayList<>();
        for (Endpoint x : endpoints.listEnabled(partner)) {
            if (!x.id().equals(about)) {
                others.add(x);
            }
        }
        Emitter.Emitted em = new Emitter(ids)
                .emit(
                        partner,
                        type,
                        subject.toString(),
                        "endpoint_id:" + about.value(),
                        data.toString(),
                        Times.millis(clock.instant()),
                        null,
                        others);
        events.appendAll(List.of(new EventStore.Append(em.event(), em.deliveries())));
    }

    private static ObjectNode subject(EndpointId endpoint, String replayId) {
        ObjectNode s = JSON.createObjectNode().put("endpoint_id", endpoint.value());
        return replayId == null ? s : s.put("replay_id", replayId);
    }
}
