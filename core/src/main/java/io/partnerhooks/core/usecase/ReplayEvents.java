package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.core.port.ReplayStore.Claimed;
import io.partnerhooks.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Replays: a partner asks for an endpoint's events of a window to be sent again ({@link #start}),
 * and a worker on any node queues them in batches ({@link #step}). The worker never floods the
 * endpoint: it only tops the endpoint's queue up to a few sends' worth of pending deliveries
 * ({@link #window}), so a live delivery that finds the endpoint busy waits behind that many
 * replayed ones at most, and a slow or failing endpoint simply slows its replay down. Progress is in the replay's row; a worker that dies
 * leaves a lease that runs out, and any worker continues from the last committed batch.
 */
public final class ReplayEvents {
    /** The widest window one replay may cover. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);
    /** The most events one replay may match; refused (400) beyond, before anything is written. */
    public static final long MAX_EVENTS = 1_000_000;
    /** The most deliveries one step writes (one transaction). */
    public static final int DEFAULT_BATCH = 500;
    /** How long a worker holds a replay without committing a batch before another may take it over. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** How soon a replay let go because its endpoint's queue stayed long is looked at again. */
    static final Duration BACKLOG_WAIT = Duration.ofSeconds(1);
    /** Steps a worker waits for a long queue to shorten before it lets the replay go for a while. */
    static final int MAX_WAITS = 50;
    /** Pending deliveries per unit of an endpoint's max_in_flight that a replay may fill its queue up to. */
    static final int WINDOW_PER_SLOT = 5;
    /** How soon a fully queued replay whose deliveries are still pending is looked at again. */
    static final Duration PENDING_WAIT = Duration.ofSeconds(2);

    /** A replay as asked for; {@code until} null means now. */
    public record Request(Instant since, Instant until, List<String> eventTypes, String which) {}

    /** What one {@link #step} did: nothing to do, some work (call again soon), or only a wait. */
    public enum Step {
        IDLE,
        WORKED,
        WAITING
    }

    private final ReplayStore store;
    private final EndpointStore endpoints;
    private final ManageEndpoints subscriptions;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable wake;
    private final Runnable saved;
    private final int batch;
    private final long maxEvents;
    private final String token = UUID.randomUUID().toString();
    private Claimed held;
    private int waits;
    private Transactions tx;
    private AnnounceOperations announce;

    /**
     * {@code subscriptions} checks event types like an endpoint's; {@code wake} tells the local
     * dispatcher that deliveries are due; {@code saved} tells the local worker that a replay was
     * stored (it should run after the commit).
     */
    public ReplayEvents(
            ReplayStore store,
            EndpointStore endpoints,
            ManageEndpoints subscriptions,
            IdGenerator ids,
            Clock clock,
            Runnable wake,
            Runnable saved,
            int batch) {
        this(store, endpoints, subscriptions, ids, clock, wake, saved, batch, MAX_EVENTS);
    }

    /** With another bound on the events one replay may match (tests). */
    public ReplayEvents(
            ReplayStore store,
            EndpointStore endpoints,
            ManageEndpoints subscriptions,
            IdGenerator ids,
            Clock clock,
            Runnable wake,
            Runnable saved,
            int batch,
            long maxEvents) {
        this.maxEvents = maxEvents;
        this.saved = saved;
        this.store = store;
        this.endpoints = endpoints;
        this.subscriptions = subscriptions;
        this.ids = ids;
        this.clock = clock;
        this.wake = wake;
        this.batch = batch;
    }

    /** Checks the request, counts what it matches and stores the replay (state queued). */
    public Replay start(PartnerId partner, EndpointId endpointId, Request r) {
        Replay replay = prepare(partner, endpointId, r);
        save(replay);
        return replay;
    }

    /**
     * Checks the request and counts what it matches, writing nothing: the count reads up to a
     * million rows and is kept out of the write transaction that stores the replay ({@link #save}).
     */
    public Replay prepare(PartnerId partner, EndpointId endpointId, Request r) {
        Instant now = Times.millis(clock.instant());
        List<FieldError> errors = new ArrayList<>();
        Replay.Which which = r.which() == null ? null : Replay.Which.fromWire(r.which());
        if (r.which() == null) {
            errors.add(new FieldError("which", "is required: failed, missing or all"));
        } else if (which == null) {
            errors.add(new FieldError("which", "must be failed, missing or all"));
        }
        Instant until = r.until() == null ? now : Times.millis(r.until());
        Instant since = r.since() == null ? null : Times.millis(r.since());
        if (since == null) {
            errors.add(new FieldError("since", "is required (RFC 3339 time)"));
        } else if (since.isAfter(now)) {
            errors.add(new FieldError("since", "must not be in the future"));
        } else if (!until.isAfter(since)) {
            errors.add(new FieldError("until", "must be later than since"));
        } else if (Duration.between(since, until).compareTo(MAX_WINDOW) > 0) {
            errors.add(new FieldError(
                    r.until() == null ? "since" : "until",
                    "the window from since to until may cover at most " + MAX_WINDOW.toDays() + " days"));
        }
        if (r.eventTypes() != null) {
            subscriptions.checkEventTypes(r.eventTypes(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Endpoint endpoint = endpoints
                .find(partner, endpointId)
                .orElseThrow(() -> new NotFoundException("id", "no endpoint " + endpointId));
        ReplayStore.Selection s = new ReplayStore.Selection(endpoint, which, since, until, r.eventTypes());
        long matched = store.count(s, maxEvents);
        if (matched > maxEvents) {
            throw new InvalidInputException(
                    "since",
                    "the window matches more than " + maxEvents
                            + " events; narrow it (since, until) or the event_types");
        }
        return new Replay(
                new ReplayId(ids.next(Ids.REPLAY)),
                partner,
                endpointId,
                which,
                since,
                until,
                r.eventTypes(),
                Replay.State.QUEUED,
                matched,
                0,
                0,
                0,
                0,
                now,
                now,
                null,
                null);
    }

    /** Stores a prepared replay; a worker picks it up. */
    public void save(Replay replay) {
        store.insert(replay);
        saved.run();
    }

    public Replay get(PartnerId partner, String rawId) {
        if (!Ids.looksLike(rawId, Ids.REPLAY)) {
            throw new NotFoundException("id", "no replay " + rawId);
        }
        return store.find(partner, new ReplayId(rawId))
                .orElseThrow(() -> new NotFoundException("id", "no replay " + rawId));
    }

    /** Newest first; {@code endpoint} null for all of the partner's. */
    /**
     * Announces each completed replay ({@code replay.completed}) in the transaction that completes
     * it (ADR 14). Call before the worker starts.
     */
    public ReplayEvents announcing(Transactions tx, AnnounceOperations announce) {
        this.tx = tx;
        this.announce = announce;
        return this;
    }

    public Page<Replay> list(PartnerId partner, EndpointId endpoint, int limit, String after) {
        return store.list(partner, endpoint, limit, after);
    }

    /**
     * One unit of background work for this worker: take a replay if it holds none, then queue its
     * next batch, wait for its endpoint's queue to shorten, or finish it. Not thread-safe: one
     * thread calls it.
     */
    public Step step() {
        Instant now = clock.instant();
        if (held == null) {
            Optional<Claimed> c = store.claim(token, now, now.plus(LEASE));
            if (c.isEmpty()) {
                return Step.IDLE;
            }
            held = c.get();
        }
        Claimed c = held;
        Replay r = c.replay();
        Optional<Endpoint> endpoint = endpoints.find(r.partnerId(), r.endpointId());
        if (endpoint.isEmpty()) {
            store.finish(r.id(), token, Replay.State.CANCELLED, now);
            held = null;
            return Step.WORKED;
        }
        if (c.exhausted()) {
            Optional<Replay> progress = store.find(r.partnerId(), r.id());
            long pending = progress.map(Replay::pending).orElse(0L);
            if (pending == 0 && announce != null && progress.isPresent()) {
                tx.inTransaction(() -> {
                    if (store.finish(r.id(), token, Replay.State.COMPLETED, now)) {
                        announce.replayCompleted(progress.get(), now);
                    }
                    return null;
                });
            } else if (pending == 0) {
                store.finish(r.id(), token, Replay.State.COMPLETED, now);
            } else {
                store.release(r.id(), token, now.plus(PENDING_WAIT), now);
            }
            held = null;
            return Step.WORKED;
        }
        int window = window(endpoint.get());
        int room = window - store.backlog(r.endpointId(), window);
        if (room <= 0) {
            // the endpoint's queue is full enough: wait here (the lease is extended by the next
            // batch), but not for ever, so that one stuck endpoint does not hold up other replays
            if (++waits >= MAX_WAITS) {
                store.release(r.id(), token, now.plus(BACKLOG_WAIT), now);
                held = null;
            }
            return Step.WAITING;
        }
        waits = 0;
        ReplayStore.Selection s =
                new ReplayStore.Selection(endpoint.get(), r.which(), r.since(), r.until(), r.eventTypes());
        Optional<ReplayStore.Batch> b = store.queueBatch(
                c,
                s,
                Math.min(batch, room),
                () -> new DeliveryId(ids.next(Ids.DELIVERY)),
                Times.millis(now),
                now.plus(LEASE));
        if (b.isEmpty()) {
            // another worker took it over after our lease ran out
            held = null;
            return Step.IDLE;
        }
        held = new Claimed(r, token, b.get().cursor(), b.get().exhausted());
        if (b.get().queued() > 0) {
            wake.run();
        }
        return Step.WORKED;
    }

    /**
     * How many pending deliveries a replay may keep in the endpoint's queue: a few sends' worth
     * (five per in-flight slot; one second's worth for a rate-limited endpoint), so that a live
     * delivery that finds every slot busy waits behind that many replayed ones at most.
     */
    private int window(Endpoint e) {
        Integer rate = e.limits().ratePerSecond();
        int w = rate != null ? rate : WINDOW_PER_SLOT * e.limits().maxInFlight();
        return Math.max(1, Math.min(batch, w));
    }

    /** Lets go of a held replay at once (a clean stop), so another node need not wait for the lease. */
    public void letGo() {
        Claimed c = held;
        held = null;
        if (c != null) {
            store.release(c.replay().id(), token, clock.instant(), clock.instant());
        }
    }
}
