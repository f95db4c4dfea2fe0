package io.partnerhooks.server.support;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded randomness for ids and secrets, but nextDouble() = 0.5, so retry jitter is exactly zero.
 * Synchronized: SplittableRandom is not thread-safe, and two threads drawing at once could get the
 * same value (two attempts with one id).
 */
public final class NoJitterRandom implements RandomGenerator {
    private final SplittableRandom random;

    public NoJitterRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized long nextLong() {
        return random.nextLong();
    }

    @Override
    public double nextDouble() {
        return 0.5;
    }
}
