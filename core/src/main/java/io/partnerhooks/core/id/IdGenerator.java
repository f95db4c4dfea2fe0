package io.partnerhooks.core.id;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Makes prefixed, time-ordered ids ({@code evt_01JD3X...}): 50 bits of milliseconds then 79 random
 * bits, in Crockford base32, so that sorting ids sorts by creation time (cursor pagination relies
 * on that) and two nodes never need to coordinate.
 */
public final class IdGenerator {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final RandomGenerator random;

    public IdGenerator(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * The time part every id made at {@code millis} starts with: ids made earlier sort below it,
     * ids made at or after it sort at or above it. Lets a time range become an id range.
     */
    public static String timePrefix(String prefix, long millis) {
        char[] out = new char[10];
        long m = Math.max(0, millis);
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (m & 31)];
            m >>>= 5;
        }
        return prefix + new String(out);
    }

    public String next(String prefix) {
        long millis = clock.millis();
        long hi = random.nextLong();
        long lo = random.nextLong();
        char[] out = new char[26];
        // 10 chars of time (50 bits, top 2 always zero for the next few thousand years)
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 16 chars of randomness (80 bits): 64 from hi, 16 from lo
        for (int i = 25; i >= 13; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        // the 13th char from hi got only its last 4 bits; the remaining 3 chars take 15 bits of lo
        for (int i = 12; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return prefix + new String(out);
    }
}
