package io.partnerhooks.core.delivery;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Next;

/** Told about every attempt once it is recorded; metrics hang off this. Must not block. */
@FunctionalInterface
public interface AttemptObserver {
    AttemptObserver NONE = (outcome, durationMs, next) -> {};

    void attempted(DeliveryOutcome outcome, long durationMs, Next next);
}
