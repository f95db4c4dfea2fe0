package io.partnerhooks.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread (the dispatcher's) brings about: checks it every
 * fraction of a millisecond, and fails the test when it does not hold within a short bound.
 * Nothing waits for time to pass; the bound only keeps a broken test from hanging.
 */
public final class Await {
    public static final Duration BOUND = Duration.ofSeconds(5);

    private Await() {}

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + BOUND.toSeconds() + " s: " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
