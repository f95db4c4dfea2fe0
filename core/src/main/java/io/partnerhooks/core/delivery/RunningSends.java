package io.partnerhooks.core.delivery;

import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link Dispatcher}'s sends as threads: each started on a virtual thread of its own and
 * tracked until it returns, so that a shutdown can wait for them until its deadline and then cut
 * the rest, handing their rows back to the queue.
 */
final class RunningSends {
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    /** Sends started and not yet finished, so a shutdown can hand back the ones it cuts. */
    private final ConcurrentHashMap<DeliveryId, Claimed> active = new ConcurrentHashMap<>();

    private final Consumer<Claimed> send;
    private final Consumer<List<Claimed>> handBack;

    /** {@code send}: one send to its end; {@code handBack}: rows back to the queue, quietly. */
    RunningSends(Consumer<Claimed> send, Consumer<List<Claimed>> handBack) {
        this.send = send;
        this.handBack = handBack;
    }

    /** Sends the row on its own virtual thread; throws {@link java.util.concurrent.RejectedExecutionException} once draining. */
    void start(Claimed c) {
        senders.execute(() -> process(c));
    }

    private void process(Claimed c) {
        active.put(c.id(), c);
        try {
            send.accept(c);
        } finally {
            active.remove(c.id(), c);
        }
    }

    /**
     * Takes no more sends, waits for those running until the deadline, then hands the rest back
     * and interrupts them (see {@link Dispatcher#drain}).
     */
    Dispatcher.Drained drain(Duration deadline) {
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
            handBack.accept(cut);
            senders.shutdownNow();
            try {
                senders.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Dispatcher.Drained(Math.max(0, before - cut.size()), done ? 0 : cut.size());
    }
}
