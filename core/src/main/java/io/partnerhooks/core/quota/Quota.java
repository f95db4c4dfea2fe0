package io.partnerhooks.core.quota;

import java.util.Locale;
import java.util.Optional;

/** The counted quotas of a workspace (seats are handled apart: they are full or not). */
public enum Quota {
    MESSAGING,
    TRANSACTIONS,
    API_CALLS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Quota> fromWire(String s) {
        for (Quota q : values()) {
            if (q.wire().equals(s)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}
