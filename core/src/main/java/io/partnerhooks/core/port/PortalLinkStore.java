package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.PortalLink.Redemption;
import io.partnerhooks.core.domain.PortalLink.Refusal;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;

/** One-time dashboard links, kept only as the hash of their token. */
public interface PortalLinkStore {
    void insert(String tokenHash, PartnerId partner, boolean readOnly, Instant createdAt, Instant expiresAt);

    /**
     * Marks the link used at {@code now} if it is unused and not expired, in one conditional
     * statement, so only one of any number of racing redemptions succeeds.
     */
    Redemption redeem(String tokenHash, Instant now);

    /** Why the link would be refused at {@code now}, or null when it would open; changes nothing. */
    Refusal check(String tokenHash, Instant now);
}
