package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.GroupCommit;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery queue on one JDBC database, by job: claims (with the dialect's
 * {@link ClaimStrategy}), completions, a partner's requeues and the statistics. The rows
 * themselves are written by {@link EventWriter}.
 */
final class JdbcDeliveryQueue implements DeliveryQueue {
    private final DeliveryClaims claims;
    private final DeliveryCompletions completions;
    private final DeliveryRequeues requeues;
    private final QueueStatistics statistics;

    JdbcDeliveryQueue(Jdbc jdbc, Dialect dialect, JdbcEndpointStore.Mapper endpoints, GroupCommit writes) {
        ClaimStrategy strategy = dialect.claimStrategy();
        this.claims = new DeliveryClaims(jdbc, strategy, endpoints);
        this.completions = new DeliveryCompletions(jdbc, strategy, writes);
        this.requeues = new DeliveryRequeues(jdbc, strategy);
        this.statistics = new QueueStatistics(jdbc);
    }

    @Override
    public List<Claimed> claimDue(Instant now, int limit, Duration lease, Set<EndpointId> excluded) {
        return claims.claimDue(now, limit, lease, excluded);
    }

    @Override
    public void release(List<Claimed> claimed, Instant dueAt) {
        completions.release(claimed, dueAt);
    }

    @Override
    public boolean complete(
            DeliveryId id, String leaseToken, Attempt a, Next next, EndpointReport report, Instant now) {
        return completions.complete(id, leaseToken, a, next, report, now);
    }

    @Override
    public RetryResult retryNow(PartnerId partner, DeliveryId id, Instant now) {
        return requeues.retryNow(partner, id, now);
    }

    @Override
    public Resent resend(PartnerId partner, DeliveryId id, DeliveryId newId, Instant now) {
        return requeues.resend(partner, id, newId, now);
    }

    @Override
    public int requeueFailed(PartnerId partner, EndpointId endpoint, Instant since, Instant now) {
        return requeues.requeueFailed(partner, endpoint, since, now);
    }

    @Override
    public Stats stats(Instant now) {
        return statistics.stats(now);
    }

    @Override
    public Optional<Instant> nextDueAt(Set<EndpointId> excluded) {
        return statistics.nextDueAt(excluded);
    }
}
