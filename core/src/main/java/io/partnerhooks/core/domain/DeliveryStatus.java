package io.partnerhooks.core.domain;

import java.util.Locale;

public enum DeliveryStatus {
    PENDING,
    DELIVERED,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
