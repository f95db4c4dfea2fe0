package io.partnerhooks.core.delivery;

import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** This node's sends in flight per endpoint, and the limit last seen for it (1 in cooldown). */
    private final ConcurrentHashMap<EndpointId, AtomicInteger> inFlightByEndpoint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EndpointId, Integer> limitByEndpoint = new ConcurrentHashMap<>();
    /** Rate-limited endpoints: the {@code nanoTime} reading before which the next send must not start. */
    private final ConcurrentHashMap<EndpointId, Long> nextSendNanos = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private boolean signalled;
    /**
     * Set by {@link #wake()} (new or re-queued work, a moved clock), not by a finished send: only
     * then can due rows exist for endpoints this node has not seen, so only then is a claim worth
     * making while every known endpoint is at its limit.
     */
    private volatile boolean newWork = true;
    /** Assumed free slots of endpoints this node has not seen yet (the default per-endpoint limit). */
    private static final int UNSEEN_ENDPOINT_SLOTS = 10;
    private volatile boolean running;
    private Thread loop;
    /**
     * Committed fast-path rows that found every slot of their endpoint busy when they were
     * published: leased to this node at insert like the others, they wait here (not in the queue)
     * and start the moment a send of their endpoint finishes (ADR 8, "waiting on the node"). At
     * most {@value #WAIT_PER_SLOT} per slot of the endpoint and {@code maxInFlight} on the node.
     */
    private final ConcurrentHashMap<EndpointId, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waitingTotal = new AtomicInteger();
    /** Endpoints whose waiting rows found the node's send cap full; the run loop starts them. */
    private final Set<EndpointId> stalledLines = ConcurrentHashMap.newKeySet();
    static final int WAIT_PER_SLOT = DeliveryQueue.ROWS_PER_SLOT - 1;

    private record Waiter(Claimed claimed, long since) {}

    /** One endpoint's waiting rows, and how many are promised (reserved, maybe not yet committed). */
    private static final class Waiting {
        final java.util.concurrent.ConcurrentLinkedQueue<Waiter> rows = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final AtomicInteger promised = new AtomicInteger();
    }

    /** Sends started and not yet finished, so a shutdown can hand back the ones it cuts. */
    private final ConcurrentHashMap<io.partnerhooks.core.id.DeliveryId, Claimed> active = new ConcurrentHashMap<>();

    public Dispatcher(DeliveryQueue queue, AttemptMaker attempts, Clock clock, int maxInFlight, int maxBatch,
            Duration lease, Duration idlePoll) {
        this(queue, attempts, clock, maxInFlight, maxBatch, lease, idlePoll, System::nanoTime);
    }

    /** With another source of {@link System#nanoTime}-like readings for rate limits and waiting rows (tests). */
    public Dispatcher(DeliveryQueue queue, AttemptMaker attempts, Clock clock, int maxInFlight, int maxBatch,
            Duration lease, Duration idlePoll, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.queue = queue;
        this.attempts = attempts;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
        this.lease = lease;
        this.idlePoll = idlePoll;
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

    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong claimedRows = new java.util.concurrent.atomic.AtomicLong();

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
                pumpStalledLines();
                int free = maxInFlight - inFlight.get();
                Set<EndpointId> saturated = saturated();
                boolean fresh = newWork || timedOut;
                newWork = false;
                // Claim no more than the endpoints can take: free slots of the endpoints we know,
                // plus a batch for endpoints we have not seen when there may be new work. Rows
                // claimed beyond that would only be held back and released again (two writes for
                // nothing), and a claim that can match nothing scans the whole due backlog.
                int want = Math.min(free, maxBatch);
                long room = knownFreeSlots(saturated) + (fresh ? maxBatch : 0);
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
                            senders.execute(() -> process(c));
                        } else if (joinLine(c, joined)) {
                            // every slot busy, but the row is ours now: wait on the node for the
                            // next free one instead of going back to the queue for another claim
                            claimed++;
                            lined.add(c.endpoint().id());
                        } else {
                            heldBack.add(c);
                        }
                    }
                    // a slot may have come free while the batch was being handed out
                    lined.forEach(this::pump);
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

    /** Starts the lines that found the node's send cap full (see {@link #pump}). */
    private void pumpStalledLines() {
        if (stalledLines.isEmpty()) {
            return;
        }
        for (EndpointId id : List.copyOf(stalledLines)) {
            // off the list first: a line that finds the cap full again goes back on it
            stalledLines.remove(id);
            pump(id);
        }
    }

    /**
     * Endpoints this node must not claim for now: at their in-flight limit (one probe in cooldown)
     * or waiting for their rate limit. A hanging endpoint thus cannot fill a claim batch and starve
     * the others.
     */
    private Set<EndpointId> saturated() {
        Set<EndpointId> out = new HashSet<>();
        inFlightByEndpoint.forEach((id, n) -> {
            // a slot about to be taken by a row waiting on the node is not free for a claim
            if (n.get() + lined(id) >= limitByEndpoint.getOrDefault(id, Integer.MAX_VALUE) && lineRoom(id) <= 0) {
                out.add(id);
            }
        });
        long now = nanoTime.getAsLong();
        nextSendNanos.forEach((id, t) -> {
            if (t - now > 0) {
                out.add(id);
            }
        });
        return out;
    }

    private boolean anyAtInFlightLimit() {
        for (var e : inFlightByEndpoint.entrySet()) {
            if (e.getValue().get() >= limitByEndpoint.getOrDefault(e.getKey(), Integer.MAX_VALUE)) {
                return true;
            }
        }
        return false;
    }

    /** Free slots of endpoints seen before and not excluded now (endpoints never seen count {@value #UNSEEN_ENDPOINT_SLOTS} each when new work arrives). */
    private long knownFreeSlots(Set<EndpointId> saturated) {
        long sum = 0;
        for (var e : inFlightByEndpoint.entrySet()) {
            if (!saturated.contains(e.getKey())) {
                sum += Math.max(0, limitByEndpoint.getOrDefault(e.getKey(), UNSEEN_ENDPOINT_SLOTS) - e.getValue().get()
                        - lined(e.getKey()));
                sum += lineRoom(e.getKey());
            }
        }
        return sum;
    }

    private boolean admit(Claimed c) {
        EndpointId id = c.endpoint().id();
        int limit = limitOf(c.endpoint());
        limitByEndpoint.put(id, limit);
        noteLine(c.endpoint());
        AtomicInteger n = inFlightByEndpoint.computeIfAbsent(id, k -> new AtomicInteger());
        if (n.get() >= limit) {
            return false;
        }
        Integer rate = c.endpoint().limits().ratePerSecond();
        if (rate == null || rate <= 0) {
            nextSendNanos.remove(id);
            // publishers reserve slots concurrently (reserve), so take one atomically
            return tryTake(n, limit);
        }
        long now = nanoTime.getAsLong();
        Long next = nextSendNanos.get(id);
        if (next != null && next - now > 0) {
            return false;
        }
        if (!tryTake(n, limit)) {
            return false;
        }
        nextSendNanos.put(id, now + 1_000_000_000L / rate);
        return true;
    }

    private static boolean tryTake(AtomicInteger n, int limit) {
        while (true) {
            int v = n.get();
            if (v >= limit) {
                return false;
            }
            if (n.compareAndSet(v, v + 1)) {
                return true;
            }
        }
    }

    private static int limitOf(Endpoint e) {
        return e.health().inCooldown() ? 1 : Math.max(1, e.limits().maxInFlight());
    }

    /**
     * A slot for a delivery about to be written, on the publisher's thread: only for an endpoint
     * that needs no claim-time decision (not in cooldown, not rate limited) with a slot free on
     * this node. Fails closed: no slot means the row goes to the queue as before.
     */
    private boolean reserveSlot(Endpoint e) {
        if (!fastPathFor(e)) {
            return false;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        int limit = limitOf(e);
        limitByEndpoint.put(e.id(), limit);
        noteLine(e);
        if (!tryTake(inFlightByEndpoint.computeIfAbsent(e.id(), k -> new AtomicInteger()), limit)) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Endpoints whose fresh deliveries need no claim-time decision: not in cooldown, not rate limited. */
    private boolean fastPathFor(Endpoint e) {
        if (!running || e.health().inCooldown()) {
            return false;
        }
        Integer rate = e.limits().ratePerSecond();
        return rate == null || rate <= 0;
    }

    /**
     * Every slot of the endpoint is taken: a place among the rows that wait on this node for the
     * next one, while that line is short (a few answer times long, far inside the lease).
     */
    private boolean reserveWait(Endpoint e) {
        if (!fastPathFor(e)) {
            return false;
        }
        if (waitingTotal.incrementAndGet() > maxInFlight) {
            waitingTotal.decrementAndGet();
            return false;
        }
        if (!tryTake(waiting.computeIfAbsent(e.id(), k -> new Waiting()).promised, WAIT_PER_SLOT * limitOf(e))) {
            waitingTotal.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Endpoints whose rows may wait on this node, as last seen by a claim or a publish: healthy,
     * not rate limited and not ordered (an ordered row's place is decided under its key's lock).
     */
    private final Set<EndpointId> lineable = ConcurrentHashMap.newKeySet();

    private void noteLine(Endpoint e) {
        if (fastPathFor(e) && !e.profile().ordered()) {
            lineable.add(e.id());
        } else {
            lineable.remove(e.id());
        }
    }

    /** Rows waiting (or promised a place) in the endpoint's line on this node. */
    private int lined(EndpointId id) {
        Waiting w = waiting.get(id);
        return w == null ? 0 : w.promised.get();
    }

    /**
     * How many rows a claim may add to the endpoint's waiting line: 0 for endpoints that may not
     * use one, and 0 until at least half of the line is free, so that a busy endpoint is claimed
     * for in batches of half its line rather than one row for each send that finishes.
     */
    private int lineRoom(EndpointId id) {
        if (!lineable.contains(id)) {
            return 0;
        }
        Waiting w = waiting.get(id);
        int promised = w == null ? 0 : w.promised.get();
        int capacity = WAIT_PER_SLOT * limitByEndpoint.getOrDefault(id, UNSEEN_ENDPOINT_SLOTS);
        int room = Math.min(capacity - promised, maxInFlight - waitingTotal.get());
        return room * 2 >= capacity ? room : 0;
    }

    /**
     * A claimed row whose endpoint has every slot busy joins that endpoint's waiting line, when
     * the endpoint may use one and the line has room (the same bounds as for fresh rows).
     */
    private boolean joinLine(Claimed c, long now) {
        if (c.endpoint().profile().ordered() || !reserveWait(c.endpoint())) {
            return false;
        }
        waiting.get(c.endpoint().id()).rows.add(new Waiter(c, now));
        return true;
    }

    @Override
    public Reservation reserve(List<NewDelivery> deliveries, List<Endpoint> endpoints) {
        List<NewDelivery> out = new ArrayList<>(deliveries.size());
        List<Integer> held = new ArrayList<>();
        List<Integer> waits = new ArrayList<>();
        String token = null;
        Instant until = null;
        for (int i = 0; i < deliveries.size(); i++) {
            // An ordered delivery may have to wait behind an earlier one of its key, which only the
            // write can tell (under the key's lock): it always goes through the queue (ADR 11).
            boolean ordered = deliveries.get(i).orderingKey() != null;
            boolean slot = !ordered && reserveSlot(endpoints.get(i));
            if (slot || (!ordered && reserveWait(endpoints.get(i)))) {
                if (token == null) {
                    token = UUID.randomUUID().toString();
                    until = clock.instant().plus(lease);
                }
                out.add(deliveries.get(i).leased(token, until));
                (slot ? held : waits).add(i);
            } else {
                out.add(deliveries.get(i));
            }
        }
        if (held.isEmpty() && waits.isEmpty()) {
            return FreshDeliveries.NONE.reserve(deliveries, endpoints);
        }
        return new Held(List.copyOf(out), List.copyOf(endpoints), held, waits, token);
    }

    /** Slots held for one event's leased rows. */
    private final class Held implements Reservation {
        private final List<NewDelivery> deliveries;
        private final List<Endpoint> endpoints;
        private final List<Integer> held;
        private final List<Integer> waits;
        private final String token;
        private boolean settled;

        Held(List<NewDelivery> deliveries, List<Endpoint> endpoints, List<Integer> held, List<Integer> waits,
                String token) {
            this.deliveries = deliveries;
            this.endpoints = endpoints;
            this.held = held;
            this.waits = waits;
            this.token = token;
        }

        @Override
        public List<NewDelivery> deliveries() {
            return deliveries;
        }

        @Override
        public synchronized void start(Event committed) {
            if (settled) {
                return;
            }
            settled = true;
            for (int i : held) {
                Claimed c = new Claimed(deliveries.get(i).id(), token, 0, committed, endpoints.get(i));
                try {
                    senders.execute(() -> process(c));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // shutting down: hand the row back now rather than leave it to its lease
                    freeEndpointSlot(c.endpoint().id());
                    inFlight.decrementAndGet();
                    releaseQuietly(List.of(c));
                }
            }
            long now = nanoTime.getAsLong();
            for (int i : waits) {
                EndpointId id = endpoints.get(i).id();
                waiting.get(id).rows.add(new Waiter(new Claimed(deliveries.get(i).id(), token, 0, committed,
                        endpoints.get(i)), now));
                // a slot may have come free between the reservation and now: nobody else would look
                pump(id);
            }
        }

        @Override
        public synchronized void cancel() {
            if (settled) {
                return;
            }
            settled = true;
            for (int i : held) {
                freeEndpointSlot(endpoints.get(i).id());
                inFlight.decrementAndGet();
            }
            for (int i : waits) {
                waiting.get(endpoints.get(i).id()).promised.decrementAndGet();
                waitingTotal.decrementAndGet();
            }
            signal();
        }
    }

    private void freeEndpointSlot(EndpointId id) {
        AtomicInteger n = inFlightByEndpoint.get(id);
        if (n != null) {
            n.decrementAndGet();
        }
        pump(id);
    }

    /**
     * Starts the endpoint's waiting rows while it has free slots. A row that has waited for half
     * its lease (a stalled endpoint, a paused node) goes to the queue instead, so that it is never
     * sent on a lease about to pass to another node; on shutdown every waiting row goes there.
     */
    private void pump(EndpointId id) {
        Waiting w = waiting.get(id);
        if (w == null) {
            return;
        }
        long stale = lease.toNanos() / 2;
        while (!w.rows.isEmpty()) {
            if (!running) {
                flushWaiting(id);
                return;
            }
            AtomicInteger n = inFlightByEndpoint.computeIfAbsent(id, k -> new AtomicInteger());
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                // The node is full, perhaps of sends that are done and only writing their outcome
                // (their endpoint slots are already free): no send of this endpoint may be left to
                // start its line. The run loop does, once a send at the cap finishes and signals.
                stalledLines.add(id);
                if (inFlight.get() < maxInFlight) {
                    // the cap freed while we noted the line: its signal may have come before the note
                    signal();
                }
                return;
            }
            if (!tryTake(n, limitByEndpoint.getOrDefault(id, UNSEEN_ENDPOINT_SLOTS))) {
                inFlight.decrementAndGet();
                return;
            }
            Waiter next = w.rows.poll();
            if (next == null) {
                // another thread took it: give the slot back and look again (a row added meanwhile
                // by a publisher whose own pump found this slot taken must not be left behind)
                n.decrementAndGet();
                inFlight.decrementAndGet();
                continue;
            }
            w.promised.decrementAndGet();
            waitingTotal.decrementAndGet();
            if (nanoTime.getAsLong() - next.since() > stale) {
                n.decrementAndGet();
                inFlight.decrementAndGet();
                releaseQuietly(List.of(next.claimed()));
                signal();
                continue;
            }
            try {
                senders.execute(() -> process(next.claimed()));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                n.decrementAndGet();
                inFlight.decrementAndGet();
                releaseQuietly(List.of(next.claimed()));
            }
        }
    }

    /**
     * Hands the endpoint's waiting rows to the queue, due now: after a failed attempt (the claim
     * then applies the endpoint's cooldown, which this node's copy of it does not show yet) and on
     * shutdown.
     */
    private void flushWaiting(EndpointId id) {
        Waiting w = waiting.get(id);
        if (w == null) {
            return;
        }
        List<Claimed> out = new ArrayList<>();
        for (Waiter x; (x = w.rows.poll()) != null; ) {
            w.promised.decrementAndGet();
            waitingTotal.decrementAndGet();
            out.add(x.claimed());
        }
        if (!out.isEmpty()) {
            releaseQuietly(out);
            signal();
        }
    }

    /** Waits for a wake, a freed slot or the next due time; true when it waited the whole time out. */
    private boolean awaitSignal() {
        long waitMs = idlePoll.toMillis();
        if (inFlight.get() < maxInFlight) {
            try {
                long now = nanoTime.getAsLong();
                for (Long t : nextSendNanos.values()) {
                    if (t - now > 0) {
                        waitMs = Math.min(waitMs, Math.max(1, (t - now) / 1_000_000));
                    }
                }
                // With endpoints at their in-flight limit, due rows of theirs may fill the queue's
                // head and the query would read past all of them; their finished sends wake us.
                Optional<Instant> next = anyAtInFlightLimit() ? Optional.empty() : queue.nextDueAt(saturated());
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

    private void process(Claimed c) {
        active.put(c.id(), c);
        try {
            send(c);
        } finally {
            active.remove(c.id(), c);
        }
    }

    private void send(Claimed c) {
        AttemptMaker.Result r;
        try {
            r = attempts.attempt(c);
        } catch (RuntimeException e) {
            // The lease will expire and the delivery will be claimed again: at-least-once holds.
            log.warn("delivery {} could not be attempted: {}", c.id(), e.toString());
            flushWaiting(c.endpoint().id());
            freeEndpointSlot(c.endpoint().id());
            inFlight.decrementAndGet();
            signal();
            return;
        }
        // A success frees the endpoint's slot as soon as the answer is in, so its next delivery
        // goes while this outcome commits. A failure keeps the slot until its outcome (failure
        // streak, cooldown) is written: the next claim must see it, or a cooling endpoint would get
        // a second probe before the first one's verdict.
        boolean early = r.next() instanceof DeliveryQueue.Next.Done && !c.endpoint().health().inCooldown();
        if (early) {
            freeEndpointSlot(c.endpoint().id());
            signal();
        }
        try {
            boolean recorded = queue.complete(c.id(), c.leaseToken(), r.attempt(), r.next(), r.report(), clock.instant());
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
                    flushWaiting(c.endpoint().id());
                }
                freeEndpointSlot(c.endpoint().id());
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
     * and rows waiting on this node for a slot, are handed back the same way ({@link Held#start},
     * {@link #pump}). Nothing is left for a lease to expire.
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
        for (EndpointId id : waiting.keySet()) {
            flushWaiting(id);
        }
        int before = active.size();
        senders.shutdown();
        boolean done;
        try {
            done = senders.awaitTermination(Math.max(0, deadline.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        List<Claimed> cut = new ArrayList<>(active.values());
        if (!done) {
            // tokens first: a cut send then records nothing (no failure against the endpoint's
            // health); one that was answered in between is sent again, the at-least-once repeat
            releaseQuietly(cut);
            senders.shutdownNow();
            try {
                senders.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Drained(Math.max(0, before - cut.size()), done ? 0 : cut.size());
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
    }
}
