package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every method takes the owning partner first: a query that forgets the owner cannot be written. */
public interface EndpointStore {
    void insert(Endpoint endpoint);

    /**
     * Replaces the partner-set fields; false when the endpoint is not the partner's (or is gone).
     * Enabling an endpoint clears its failure streak, cooldown and disable reason.
     */
    boolean update(PartnerId partner, Endpoint endpoint);

    Optional<Endpoint> find(PartnerId partner, EndpointId id);

    List<Endpoint> list(PartnerId partner);

    /** The messaging webhook of the partner's number (channel), if it has one. */
    Optional<Endpoint> findMessaging(PartnerId partner, ChannelId channelId);

    List<Endpoint> listEnabled(PartnerId partner);

    /** Replaces the signing secret, keeping the old one for signing until {@code previousExpiresAt}. */
    boolean rotateSecret(
            PartnerId partner,
            EndpointId id,
            String newSecret,
            String previousSecret,
            Instant previousExpiresAt,
            Instant now);

    /** Removes it from view and fails its pending deliveries, in one transaction. */
    boolean delete(PartnerId partner, EndpointId id, Instant now);

    /**
     * An endpoint whose state differs from the one last announced to the partner (ADR 14), or that
     * has been announced as in cooldown since before {@code cooldownBefore}: {@code announced} is
     * active, cooldown, failing or disabled.
     */
    record Unannounced(Endpoint endpoint, String announced, Instant announcedAt) {}

    /** Endpoints of any partner the operational-event sweep must look at, oldest id first. */
    List<Unannounced> unannounced(Instant cooldownBefore, int limit);

    /**
     * Moves the announced state from {@code from} to {@code to}; false when it no longer is
     * {@code from} (another node announced first). Joins the caller's unit of work.
     */
    boolean announce(PartnerId partner, EndpointId id, String from, String to, Instant at);
}
