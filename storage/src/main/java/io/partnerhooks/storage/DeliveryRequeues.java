package io.partnerhooks.storage;

import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.DeliveryQueue.Resent;
import io.partnerhooks.core.port.DeliveryQueue.RetryResult;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A partner's "go again": retry now, resend, and requeueing an endpoint's failed deliveries. */
final class DeliveryRequeues {
    private final Jdbc jdbc;
    private final ClaimStrategy claims;

    DeliveryRequeues(Jdbc jdbc, ClaimStrategy claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    RetryResult retryNow(PartnerId partner, DeliveryId id, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            // an ordered delivery goes again in its chain: at once when its key has no other head,
            // else held at its sequence behind that head (under the key's lock)
            lockChainOf(c, partner, "id = ?", id.value());
            int n = Jdbc.update(
                    c,
                    "UPDATE deliveries SET status = 'pending', next_attempt_at = "
                            + OrderedKeys.pendingAgainAt("deliveries") + ", updated_at = ?"
                            + " WHERE id = ? AND partner_id = ? AND status IN ('pending', 'failed', 'superseded')"
                            + " AND lease_token IS NULL",
                    OrderedKeys.HELD,
                    OrderedKeys.HELD,
                    nowMs,
                    nowMs,
                    id.value(),
                    partner.value());
            if (n == 1) {
                return RetryResult.QUEUED;
            }
            List<String> status = Jdbc.query(
                    c,
                    "SELECT status FROM deliveries WHERE id = ? AND partner_id = ?",
                    rs -> rs.getString(1),
                    id.value(),
                    partner.value());
            if (status.isEmpty()) {
                return RetryResult.NOT_FOUND;
            }
            return status.get(0).equals("delivered") ? RetryResult.DELIVERED_ALREADY : RetryResult.IN_FLIGHT;
        });
    }

    Resent resend(PartnerId partner, DeliveryId id, DeliveryId newId, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            // a plain INSERT ... SELECT: the new row is an ordinary pending delivery, claimed like any other
            // an ordered delivery's copy joins its chain like a retry (see retryNow)
            lockChainOf(c, partner, "id = ?", id.value());
            int n = Jdbc.update(
                    c,
                    "INSERT INTO deliveries (id, event_id, endpoint_id, partner_id, status, attempt_count,"
                            + " next_attempt_at, created_at, updated_at, ordering_key) SELECT ?, o.event_id, o.endpoint_id,"
                            + " o.partner_id, 'pending', 0, " + OrderedKeys.pendingAgainAt("o")
                            + ", ?, ?, o.ordering_key"
                            + " FROM deliveries o WHERE o.id = ? AND o.partner_id = ? AND o.status IN ('delivered', 'failed', 'superseded')",
                    newId.value(),
                    OrderedKeys.HELD,
                    OrderedKeys.HELD,
                    nowMs,
                    nowMs,
                    nowMs,
                    id.value(),
                    partner.value());
            if (n == 1) {
                return new Resent(RetryResult.QUEUED, newId);
            }
            List<String> status = Jdbc.query(
                    c,
                    "SELECT status FROM deliveries WHERE id = ? AND partner_id = ?",
                    rs -> rs.getString(1),
                    id.value(),
                    partner.value());
            return new Resent(status.isEmpty() ? RetryResult.NOT_FOUND : RetryResult.IN_FLIGHT, null);
        });
    }

    int requeueFailed(PartnerId partner, EndpointId endpoint, Instant since, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            String where = "partner_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ?";
            Set<ClaimStrategy.ChainLock> locks =
                    lockChainOf(c, partner, where, partner.value(), endpoint.value(), since.toEpochMilli());
            // ordered rows come back held at their sequence; each chain's lowest then goes first
            int n = Jdbc.update(
                    c,
                    "UPDATE deliveries SET status = 'pending', next_attempt_at = CASE WHEN ordering_key"
                            + " IS NULL THEN ? ELSE ? + (SELECT ev.sequence FROM events ev WHERE ev.id = deliveries.event_id) END,"
                            + " updated_at = ? WHERE " + where,
                    nowMs,
                    OrderedKeys.HELD,
                    nowMs,
                    partner.value(),
                    endpoint.value(),
                    since.toEpochMilli());
            Set<OrderedKeys.Key> chains = new HashSet<>();
            locks.forEach(l -> chains.add(new OrderedKeys.Key(endpoint.value(), l.orderingKey())));
            OrderedKeys.promote(c, chains, nowMs);
            return n;
        });
    }

    /**
     * Takes the locks of the ordering keys of this partner's deliveries matching {@code where}
     * (none for deliveries without a key) before a change makes them pending again; the keys.
     */
    private Set<ClaimStrategy.ChainLock> lockChainOf(Connection c, PartnerId partner, String where, Object... params)
            throws SQLException {
        Set<ClaimStrategy.ChainLock> locks = new HashSet<>();
        Jdbc.query(
                c,
                "SELECT DISTINCT ordering_key FROM deliveries WHERE " + where + " AND partner_id = ?"
                        + " AND ordering_key IS NOT NULL",
                rs -> locks.add(new ClaimStrategy.ChainLock(partner.value(), rs.getString(1))),
                concat(params, partner.value()));
        claims.lockChains(c, locks);
        return locks;
    }

    private static Object[] concat(Object[] params, Object last) {
        Object[] out = Arrays.copyOf(params, params.length + 1);
        out[params.length] = last;
        return out;
    }
}
