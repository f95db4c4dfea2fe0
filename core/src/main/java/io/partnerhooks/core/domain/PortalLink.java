package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.PartnerId;

/** What a one-time dashboard link opens: the partner and whether its session may change anything. */
public record PortalLink(PartnerId partner, boolean readOnly) {
    /** Why a link did not open. */
    public enum Refusal {
        UNKNOWN,
        USED,
        EXPIRED
    }

    /** What redeeming a link came to: exactly one of {@code link} and {@code refusal} is set. */
    public record Redemption(PortalLink link, Refusal refusal) {}
}
