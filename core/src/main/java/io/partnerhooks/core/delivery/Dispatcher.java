package io.partnerhooks.core.delivery;

import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.partnerhooks.core.id.EndpointId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due deliveries in batches sized to free capacity, sends each on its own virtual thread
 * outside any transaction, and records each outcome in one short transaction that checks the
 * lease token. Publishing calls {@link #wake()}, so new work does not wait for the next poll.
 *
 * <p>Nothing here is needed for correctness after a crash: the queue holds every pending delivery,
 * and a lease that is never completed simply expires and the row is claimed again.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryQueue queue;
    private final AttemptMaker attempts;
    private final Clock clock;
    private final int maxInFlight;
    private final int maxBatch;
    private final Duration lease;
    private final Duration idlePoll;
    private volatile AttemptObserver observer = AttemptObserver.NONE;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** This node's sends in flight per endpoint, and the limit last seen for it (1 in cooldown). */
    private final ConcurrentHashMap<EndpointId, AtomicInteger> inFlightByEndpoint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EndpointId, Integer> limitByEndpoint = new ConcurrentHashMap<>();
    /** Rate-limited endpoints: the System.nanoTime() before which the next send must not start. */
    private final ConcurrentHashMap<EndpointId, Long> nextSendNanos = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private boolean signalled;
    private volatile boolean running;
    private Thread loop;

    public Dispatcher(DeliveryQueue queue, AttemptMaker attempts, Clock clock, int maxInFlight, int maxBatch,
            Duration lease, Duration idlePoll) {
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

    private void run() {
        while (running) {
            int claimed = 0;
            try {
                int free = maxInFlight - inFlight.get();
                if (free > 0) {
                    List<Claimed> batch = queue.claimDue(clock.instant(), Math.min(free, maxBatch), lease, saturated());
                    List<Claimed> heldBack = new ArrayList<>();
                    for (Claimed c : batch) {
                        if (admit(c)) {
                            claimed++;
                            inFlight.incrementAndGet();
                            senders.execute(() -> process(c));
                        } else {
                            heldBack.add(c);
                        }
                    }
                    // Held back by a per-endpoint limit: back to the queue with no attempt used.
                    queue.release(heldBack, clock.instant());
                }
            } catch (RuntimeException e) {
                // The database may be briefly unreachable; back off one poll and try again.
                log.warn("claiming due deliveries failed: {}", e.toString());
            }
            if (claimed == 0 || inFlight.get() >= maxInFlight) {
                awaitSignal();
            }
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
            if (n.get() >= limitByEndpoint.getOrDefault(id, Integer.MAX_VALUE)) {
                out.add(id);
            }
        });
        long now = System.nanoTime();
        nextSendNanos.forEach((id, t) -> {
            if (t - now > 0) {
                out.add(id);
            }
        });
        return out;
    }

    private boolean admit(Claimed c) {
        EndpointId id = c.endpoint().id();
        int limit = c.endpoint().health().inCooldown() ? 1 : Math.max(1, c.endpoint().limits().maxInFlight());
        limitByEndpoint.put(id, limit);
        AtomicInteger n = inFlightByEndpoint.computeIfAbsent(id, k -> new AtomicInteger());
        if (n.get() >= limit) {
            return false;
        }
        Integer rate = c.endpoint().limits().ratePerSecond();
        if (rate != null && rate > 0) {
            long now = System.nanoTime();
            Long next = nextSendNanos.get(id);
            if (next != null && next - now > 0) {
                return false;
            }
            nextSendNanos.put(id, now + 1_000_000_000L / rate);
        } else {
            nextSendNanos.remove(id);
        }
        n.incrementAndGet();
        return true;
    }

    private void awaitSignal() {
        long waitMs = idlePoll.toMillis();
        if (inFlight.get() < maxInFlight) {
            try {
                long now = System.nanoTime();
                for (Long t : nextSendNanos.values()) {
                    if (t - now > 0) {
                        waitMs = Math.min(waitMs, Math.max(1, (t - now) / 1_000_000));
                    }
                }
                Optional<Instant> next = queue.nextDueAt(saturated());
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
            if (!signalled && running) {
                try {
                    signal.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            signalled = false;
        }
    }

    private void process(Claimed c) {
        try {
            AttemptMaker.Result r = attempts.attempt(c);
            boolean recorded = queue.complete(c.id(), c.leaseToken(), r.attempt(), r.next(), r.report(), clock.instant());
            if (!recorded) {
                log.info("delivery {} lost its lease while sending; the newer lease decides", c.id());
            } else {
                observer.attempted(r.outcome(), r.attempt().durationMs(), r.next());
            }
        } catch (RuntimeException e) {
            // The lease will expire and the delivery will be claimed again: at-least-once holds.
            log.warn("delivery {} could not be completed: {}", c.id(), e.toString());
        } finally {
            inFlightByEndpoint.get(c.endpoint().id()).decrementAndGet();
            inFlight.decrementAndGet();
            wake();
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
        try {
            if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
