package io.partnerhooks.storage.jdbc;

import io.partnerhooks.core.port.DeliveryQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * How concurrent nodes share the delivery queue on one database (a {@link Dialect} provides it):
 * how a claim takes due rows without two claimers taking the same one, and how a change of an
 * ordered chain (ADR 11) keeps out of another's way. PostgreSQL claims in one statement that skips
 * rows other nodes have locked and locks the chain's key row; SQLite, which takes one writer at a
 * time, claims endpoint by endpoint (a statement costs it no round trip) and needs no lock.
 */
public interface ClaimStrategy {
    /**
     * How many rows one claim may take of an endpoint: one while it waits for a cooldown probe or
     * is rate limited (the dispatcher would hold back the rest), its in-flight limit when ordered,
     * else {@link DeliveryQueue#ROWS_PER_SLOT} per slot (the ones beyond its free slots wait on the
     * claiming node, so a busy endpoint is not claimed for once per finished send).
     */
    String CAP = "CASE WHEN e.probe_after IS NOT NULL OR e.rate_limit_per_second > 0 THEN 1"
            + " WHEN e.ordering = 'ordered' THEN e.max_in_flight"
            + " ELSE e.max_in_flight * " + DeliveryQueue.ROWS_PER_SLOT + " END";

    /**
     * Endpoints that may be claimed for: enabled, not waiting for a cooldown probe, not excluded.
     * Binds: true, now, then the excluded endpoint ids.
     */
    static String claimableEndpoints(int excluded) {
        return "e.enabled = ? AND e.deleted_at IS NULL AND (e.probe_after IS NULL OR e.probe_after <= ?)"
                + (excluded == 0 ? "" : " AND e.id NOT IN (" + Jdbc.placeholders(excluded) + ")");
    }

    /**
     * One claim: lease up to {@code limit} rows due at {@code nowMs} to {@code token} until
     * {@code leaseUntilMs}, none of the endpoints {@code excluded}.
     */
    record Request(String token, long nowMs, long leaseUntilMs, int limit, List<String> excluded) {}

    /** A leased row. */
    record Row(String id, String eventId, String endpointId, int attempts) {}

    /** Leases the rows in the caller's transaction; the rows it leased. */
    List<Row> claim(Connection c, Request r) throws SQLException;

    /** An ordered chain's lock: the subject_sequences row that numbers the events of a partner's ordering key. */
    record ChainLock(String partnerId, String orderingKey) implements Comparable<ChainLock> {
        @Override
        public int compareTo(ChainLock o) {
            int c = partnerId.compareTo(o.partnerId);
            return c != 0 ? c : orderingKey.compareTo(o.orderingKey);
        }
    }

    /**
     * Takes the chains' locks until the caller's transaction ends, as publishers hold them (they
     * numbered the keys' events), so that a new held row and the end of its head cannot miss each
     * other. Nothing where writers take turns anyway.
     */
    void lockChains(Connection c, Set<ChainLock> locks) throws SQLException;
}
