package io.partnerhooks.core.domain;

import java.util.Locale;

public enum DeliveryStatus {
    PENDING,
    DELIVERED,
    FAILED,
    /** Final: a newer event of the same collapsible type and key made it moot; never sent. */
    SUPERSEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
