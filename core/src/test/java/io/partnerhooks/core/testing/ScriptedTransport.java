package io.partnerhooks.core.testing;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.WebhookTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WebhookTransport} whose answers a test scripts, per event ({@code webhook-id}): each
 * request takes the next scripted answer for its event, or 200 when none is left. An answer may be
 * gated: the send then blocks until the test opens the gate (an endpoint that is slow to answer),
 * and a send interrupted while it waits (a cut at shutdown) answers a timeout, as a real
 * transport would. Records every request and the most sends it saw at once.
 */
public final class ScriptedTransport implements WebhookTransport {
    /** One scripted answer: the outcome, and a gate to wait on first (null: answer at once). */
    public record Answer(DeliveryOutcome outcome, CountDownLatch gate) {}

    private final Map<String, Deque<Answer>> script = new HashMap<>();
    private final List<OutgoingRequest> requests = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public static DeliveryOutcome ok() {
        return new DeliveryOutcome.Delivered(200, "ok");
    }

    public static DeliveryOutcome status(int code) {
        return new DeliveryOutcome.Rejected(code, "no", Optional.empty());
    }

    /** The next answers for the event with this id, in order. */
    public synchronized ScriptedTransport answer(String eventId, DeliveryOutcome... outcomes) {
        for (DeliveryOutcome o : outcomes) {
            script.computeIfAbsent(eventId, k -> new ArrayDeque<>()).add(new Answer(o, null));
        }
        return this;
    }

    /** The next answer for the event waits for {@code gate}, then is {@code outcome}. */
    public synchronized ScriptedTransport answerAfter(String eventId, CountDownLatch gate, DeliveryOutcome outcome) {
        script.computeIfAbsent(eventId, k -> new ArrayDeque<>()).add(new Answer(outcome, gate));
        return this;
    }

    @Override
    public DeliveryOutcome send(OutgoingRequest request) {
        String eventId = request.headers().get("webhook-id");
        Answer a;
        synchronized (this) {
            requests.add(request);
            Deque<Answer> q = script.get(eventId);
            a = q == null || q.isEmpty() ? new Answer(ok(), null) : q.poll();
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (a.gate() != null && !a.gate().await(Await.BOUND.toSeconds(), TimeUnit.SECONDS)) {
                return new DeliveryOutcome.TimedOut("the test never opened the gate");
            }
            return a.outcome();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.TimedOut("interrupted");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    public synchronized List<OutgoingRequest> requests() {
        return List.copyOf(requests);
    }

    /** The event ids of the requests, in the order they were sent. */
    public synchronized List<String> sentEvents() {
        return requests.stream().map(r -> r.headers().get("webhook-id")).toList();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }
}
