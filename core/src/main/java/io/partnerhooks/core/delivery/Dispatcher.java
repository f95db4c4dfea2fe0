package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due deliveries in batches sized to free capacity, sends each on its own virtual thread
 * outside any transaction, and records each outcome in one short transaction that checks the
 * lease token. Fresh deliveries skip the claim: the publishing node reserves slots for them before
 * its commit and sends them right after it ({@link #reserve}, ADR 8). Publishing work that had to
 * go to the queue calls {@link #wake()}, so it does not wait for the next poll.
 *
 * <p>An endpoint's send slot is free as soon as its answer is in, not when the outcome is
 * committed: one endpoint's rate is bounded by its {@code max_in_flight} over its answer time,
 * not over a cycle that includes a commit. The node-wide limit still counts a send until its
 * outcome is written, which bounds the outcomes waiting for a commit.
 *
 * <p>Nothing here is needed for correctness after a crash: the queue holds every pending delivery,
 * and a lease that is never completed simply expires and the row is claimed again.
 *
 * <p>The per-endpoint slots are kept by {@link EndpointSlots}, the rows waiting on the node for a
 * slot by {@link WaitingLines}, the publish-time reservations by {@link Reservations}, and the
 * send threads, which a shutdown waits for or cuts, by {@link RunningSends}.
 */
public final class Dispatcher implements AutoCloseable, FreshDeliveries {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryQueue queue;
    private final AttemptMaker attempts;
    private final Clock clock;
    private final int maxInFlight;
    private final int maxBatch;
    private final Duration lease;
    private final Duration idlePoll;
    /**
     * The monotonic time that paces rate-limited endpoints and ages rows waiting on this node
     * ({@code System::nanoTime} in production; a test's ticker moves it instead of sleeping). The
     * idle wait itself is real time.
     */
    private final LongSupplier nanoTime;

    private volatile AttemptObserver observer = AttemptObserver.NONE;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object signal = new Object();
    private boolean signalled;
    /**
     * Set by {@link #wake()} (new or re-queued work, a moved clock), not by a finished send: only
     * then can due rows exist for endpoints this node has not seen, so only then is a claim worth
     * making while every known endpoint is at its limit.
     */
    private volatile boolean newWork = true;

    private volatile boolean running;
    private Thread loop;
    private final EndpointSlots slots;
    private final WaitingLines lines;
    private final Reservations reservations;

    /** The sends started and not yet finished, each on its own virtual thread. */
    private final RunningSends sends = new RunningSends(this::send, this::releaseQuietly);

    /** This node's sends as the lines and reservations see them. */
    private final NodeSends node = new NodeSends() {
        @Override
        public boolean running() {
            return running;
        }

        @Override
        public AtomicInteger inFlight() {
            return inFlight;
        }

        @Override
        public void start(Claimed c) {
            sends.start(c);
        }

        @Override
        public void releaseQuietly(List<Claimed> cs) {
            Dispatcher.this.releaseQuietly(cs);
        }

        @Override
        public void signal() {
            Dispatcher.this.signal();
        }
    };

    public Dispatcher(
            DeliveryQueue queue,
            AttemptMaker attempts,
            Clock clock,
            int maxInFlight,
            int maxBatch,
            Duration lease,
            Duration idlePoll) {
        this(queue, attempts, clock, maxInFlight, maxBatch, lease, idlePoll, System::nanoTime);
    }

    /** With another source of {@link System#nanoTime}-like readings for rate limits and waiting rows (tests). */
    public Dispatcher(
            DeliveryQueue queue,
            AttemptMaker attempts,
            Clock clock,
            int maxInFlight,
            int maxBatch,
            Duration lease,
            Duration idlePoll,
            LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.queue = queue;
        this.attempts = attempts;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
        this.lease = lease;
        this.idlePoll = idlePoll;
        this.slots = new EndpointSlots(nanoTime);
        this.lines = new WaitingLines(node, slots, maxInFlight, lease, nanoTime);
        this.reservations = new Reservations(node, slots, lines, clock, maxInFlight, lease, nanoTime);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("dispatcher").daemon(true).start(this::run);
    }

    /** Look for due work now (new events, a clock moved forward in tests, a slot freed). */
    public void wake() {
        newWork = true;
        signal();
    }

    private void signal() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    public void observe(AttemptObserver o) {
        this.observer = o;
    }

    public int inFlight() {
        return inFlight.get();
    }

    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong claimedRows = new AtomicLong();

    /** Claims this node has made against the queue since it started that returned deliveries. */
    public long claims() {
        return claims.get();
    }

    /** Rows those claims returned (fresh rows started at publish are not among them). */
    public long claimedRows() {
        return claimedRows.get();
    }

    private void run() {
        boolean timedOut = true;
        while (running) {
            int claimed = 0;
            boolean exhausted = false;
            try {
                lines.pumpStalledLines();
                int free = maxInFlight - inFlight.get();
                Set<EndpointId> saturated = slots.saturated(lines);
                boolean fresh = newWork || timedOut;
                newWork = false;
                // Claim no more than the endpoints can take: free slots of the endpoints we know,
                // plus a batch for endpoints we have not seen when there may be new work. Rows
                // claimed beyond that would only be held back and released again (two writes for
                // nothing), and a claim that can match nothing scans the whole due backlog.
                int want = Math.min(free, maxBatch);
                long room = slots.knownFreeSlots(saturated, lines) + (fresh ? maxBatch : 0);
                want = (int) Math.min(want, room);
                if (want > 0) {
                    List<Claimed> batch = queue.claimDue(clock.instant(), want, lease, saturated);
                    if (!batch.isEmpty()) {
                        claims.incrementAndGet();
                        claimedRows.addAndGet(batch.size());
                    }
                    exhausted = batch.size() < want;
                    List<Claimed> heldBack = new ArrayList<>();
                    Set<EndpointId> lined = new HashSet<>();
                    long joined = nanoTime.getAsLong();
                    for (Claimed c : batch) {
                        if (admit(c)) {
                            claimed++;
                            inFlight.incrementAndGet();
                            sends.start(c);
                        } else if (lines.joinLine(c, joined)) {
                            // every slot busy, but the row is ours now: wait on the node for the
                            // next free one instead of going back to the queue for another claim
                            claimed++;
                            lined.add(c.endpoint().id());
                        } else {
                            heldBack.add(c);
                        }
                    }
                    // a slot may have come free while the batch was being handed out
                    lined.forEach(lines::pump);
                    // Held back by a per-endpoint limit: back to the queue with no attempt used.
                    queue.release(heldBack, clock.instant());
                }
            } catch (RuntimeException e) {
                // The database may be briefly unreachable; back off one poll and try again.
                log.warn("claiming due deliveries failed: {}", e.toString());
            }
            if (claimed == 0 || exhausted || inFlight.get() >= maxInFlight) {
                timedOut = awaitSignal();
            } else {
                timedOut = false;
            }
        }
    }

    private boolean admit(Claimed c) {
        EndpointId id = c.endpoint().id();
        int limit = EndpointSlots.limitOf(c.endpoint());
        slots.noteLimit(id, limit);
        lines.noteLine(c.endpoint());
        return slots.admit(c, limit);
    }

    @Override
    public Reservation reserve(List<NewDelivery> deliveries, List<Endpoint> endpoints) {
        return reservations.reserve(deliveries, endpoints);
    }

    /** Waits for a wake, a freed slot or the next due time; true when it waited the whole time out. */
    private boolean awaitSignal() {
        long waitMs = idlePoll.toMillis();
        if (inFlight.get() < maxInFlight) {
            try {
                waitMs = slots.untilNextSend(waitMs);
                // With endpoints at their in-flight limit, due rows of theirs may fill the queue's
                // head and the query would read past all of them; their finished sends wake us.
                Optional<Instant> next =
                        slots.anyAtInFlightLimit() ? Optional.empty() : queue.nextDueAt(slots.saturated(lines));
                if (next.isPresent()) {
                    long until = Duration.between(clock.instant(), next.get()).toMillis();
                    // at least a few ms: a due row that another node holds locked must not make us spin
                    waitMs = Math.max(5, Math.min(waitMs, until));
                }
            } catch (RuntimeException e) {
                log.debug("could not read next due time: {}", e.toString());
            }
        }
        synchronized (signal) {
            boolean timedOut = false;
            if (!signalled && running) {
                long deadline = System.nanoTime() + waitMs * 1_000_000L;
                try {
                    signal.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                timedOut = !signalled && System.nanoTime() - deadline >= 0;
            }
            signalled = false;
            return timedOut;
        }
    }

    private void releaseQuietly(List<Claimed> cs) {
        try {
            queue.release(cs, clock.instant());
        } catch (RuntimeException e) {
            // the leases expire and the rows are claimed again: nothing is lost, only later
            log.warn("could not hand {} deliveries back to the queue: {}", cs.size(), e.toString());
        }
    }

    private void send(Claimed c) {
        AttemptMaker.Result r;
        try {
            r = attempts.attempt(c);
        } catch (RuntimeException e) {
            // The lease will expire and the delivery will be claimed again: at-least-once holds.
            log.warn("delivery {} could not be attempted: {}", c.id(), e.toString());
            lines.flushWaiting(c.endpoint().id());
            lines.freeEndpointSlot(c.endpoint().id());
            inFlight.decrementAndGet();
            signal();
            return;
        }
        // A success frees the endpoint's slot as soon as the answer is in, so its next delivery
        // goes while this outcome commits. A failure keeps the slot until its outcome (failure
        // streak, cooldown) is written: the next claim must see it, or a cooling endpoint would get
        // a second probe before the first one's verdict.
        boolean early = r.next() instanceof DeliveryQueue.Next.Done
                && !c.endpoint().health().inCooldown();
        if (early) {
            lines.freeEndpointSlot(c.endpoint().id());
            signal();
        }
        try {
            boolean recorded =
                    queue.complete(c.id(), c.leaseToken(), r.attempt(), r.next(), r.report(), clock.instant());
            if (!recorded) {
                log.info("delivery {} lost its lease while sending; the newer lease decides", c.id());
            } else {
                observer.attempted(r.outcome(), r.attempt().durationMs(), r.next());
                if (c.endpoint().profile().ordered() && !(r.next() instanceof DeliveryQueue.Next.RetryAt)) {
                    // a final outcome let the next delivery of its key go (same commit): claim it now
                    wake();
                }
            }
        } catch (RuntimeException e) {
            // The lease will expire and the delivery will be claimed again: at-least-once holds.
            log.warn("delivery {} could not be completed: {}", c.id(), e.toString());
        } finally {
            if (!early) {
                if (!(r.next() instanceof DeliveryQueue.Next.Done)) {
                    lines.flushWaiting(c.endpoint().id());
                }
                lines.freeEndpointSlot(c.endpoint().id());
            }
            int before = inFlight.getAndDecrement();
            if (!early || before >= maxInFlight) {
                signal();
            }
        }
    }

    /** What a shutdown did with the sends it found. */
    public record Drained(int finished, int cut) {}

    /**
     * Stops claiming, lets the sends in flight finish until the deadline, then cuts the rest and
     * hands their rows back to the queue at once (their lease tokens are cleared, so a cut send that
     * still answers late cannot record over the next owner). Reservations that had not started,
     * and rows waiting on this node for a slot, are handed back the same way ({@link Reservations},
     * {@link WaitingLines#pump}). Nothing is left for a lease to expire.
     */
    public Drained drain(Duration deadline) {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lines.flushAll();
        return sends.drain(deadline);
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
    }
}
