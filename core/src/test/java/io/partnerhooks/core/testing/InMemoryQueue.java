package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The delivery queue as JdbcDeliveryQueue runs it. A claim takes, of each claimable endpoint
 * (enabled, not deleted, not waiting for a cooldown probe, not excluded), its oldest due rows up
 * to its cap (one in cooldown or rate limited, its in-flight limit when ordered, else
 * {@link DeliveryQueue#ROWS_PER_SLOT} per slot), the oldest of all up to the limit; their due time
 * becomes the lease's end. Every claim is recorded for tests ({@link #claims()}).
 */
public final class InMemoryQueue implements DeliveryQueue {
    /** One call of {@link #claimDue}: when, what it excluded, and what it took. */
    public record Claim(Instant now, Set<EndpointId> excluded, List<DeliveryId> taken) {}

    private final InMemoryStore store;
    private final List<Claim> claims = new CopyOnWriteArrayList<>();

    InMemoryQueue(InMemoryStore store) {
        this.store = store;
    }

    /** Every claim made so far, oldest first. */
    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    private static int cap(Endpoint e) {
        Integer rate = e.limits().ratePerSecond();
        if (e.health().probeAfter() != null || (rate != null && rate > 0)) {
            return 1;
        }
        return e.profile().ordered() ? e.limits().maxInFlight() : e.limits().maxInFlight() * ROWS_PER_SLOT;
    }

    private boolean claimable(Endpoint e, long nowMs, Set<EndpointId> excluded) {
        return e.enabled()
                && (e.health().probeAfter() == null || e.health().probeAfter().toEpochMilli() <= nowMs)
                && !excluded.contains(e.id());
    }

    @Override
    public List<Claimed> claimDue(Instant now, int limit, Duration lease, Set<EndpointId> excluded) {
        synchronized (store) {
            long nowMs = now.toEpochMilli();
            String token = UUID.randomUUID().toString();
            List<InMemoryStore.Row> due = new ArrayList<>();
            Map<EndpointId, Integer> taken = new HashMap<>();
            List<InMemoryStore.Row> byDue = new ArrayList<>(store.rows.values());
            byDue.sort(Comparator.comparingLong(r -> r.nextAt));
            for (InMemoryStore.Row r : byDue) {
                if (r.status != DeliveryStatus.PENDING || r.nextAt > nowMs) {
                    continue;
                }
                Optional<Endpoint> e = store.endpoints().any(r.endpointId);
                if (e.isEmpty() || !claimable(e.get(), nowMs, excluded)) {
                    continue;
                }
                int n = taken.merge(r.endpointId, 1, Integer::sum);
                if (n <= Math.max(1, Math.min(cap(e.get()), limit))) {
                    due.add(r);
                }
            }
            List<Claimed> out = new ArrayList<>();
            List<DeliveryId> ids = new ArrayList<>();
            for (int i = 0; i < due.size() && i < limit; i++) {
                InMemoryStore.Row r = due.get(i);
                r.leaseToken = token;
                r.nextAt = nowMs + lease.toMillis();
                out.add(new Claimed(
                        r.id,
                        token,
                        r.attemptCount,
                        store.events.get(r.eventId),
                        store.endpoints().any(r.endpointId).orElseThrow()));
                ids.add(r.id);
            }
            claims.add(new Claim(now, Set.copyOf(excluded), List.copyOf(ids)));
            return out;
        }
    }

    @Override
    public void release(List<Claimed> claimed, Instant dueAt) {
        synchronized (store) {
            for (Claimed c : claimed) {
                InMemoryStore.Row r = store.rows.get(c.id());
                if (r != null && c.leaseToken().equals(r.leaseToken)) {
                    r.leaseToken = null;
                    r.nextAt = dueAt.toEpochMilli();
                }
            }
        }
    }

    @Override
    public boolean complete(
            DeliveryId id, String leaseToken, Attempt attempt, Next next, EndpointReport report, Instant now) {
        synchronized (store) {
            InMemoryStore.Row r = store.rows.get(id);
            if (r == null || leaseToken == null || !leaseToken.equals(r.leaseToken)) {
                return false;
            }
            long nowMs = now.toEpochMilli();
            switch (next) {
                case Next.Done d -> {
                    r.status = DeliveryStatus.DELIVERED;
                    r.nextAt = nowMs;
                }
                case Next.RetryAt at -> {
                    r.status = DeliveryStatus.PENDING;
                    r.nextAt = at.at().toEpochMilli();
                }
                case Next.GiveUp g -> {
                    r.status = DeliveryStatus.FAILED;
                    r.nextAt = nowMs;
                }
            }
            r.attemptCount++;
            r.leaseToken = null;
            r.attempts.add(attempt);
            if (r.orderingKey != null && r.status != DeliveryStatus.PENDING) {
                store.promote(r.endpointId, r.orderingKey, nowMs);
            }
            applyHealth(r.endpointId, report, attempt.attemptedAt(), now);
            return true;
        }
    }

    private void applyHealth(EndpointId id, EndpointReport report, Instant attemptedAt, Instant now) {
        Optional<Endpoint> found = store.endpoints().any(id);
        if (found.isEmpty()) {
            return;
        }
        Endpoint e = found.get();
        Endpoint.Health h = e.health();
        switch (report) {
            case EndpointReport.None n -> {}
            case EndpointReport.Healthy ok ->
                store.endpoints()
                        .put(with(
                                e,
                                new Endpoint.Health(0, null, null, h.disabledReason(), h.disabledAt()),
                                e.enabled()));
            case EndpointReport.Gone g -> disable(e, g.reason(), now);
            case EndpointReport.Failed f -> {
                int streak = h.consecutiveFailures() + 1;
                Instant since = h.failingSince() != null ? h.failingSince() : attemptedAt;
                Endpoint failing = with(
                        e,
                        new Endpoint.Health(streak, since, h.probeAfter(), h.disabledReason(), h.disabledAt()),
                        e.enabled());
                store.endpoints().put(failing);
                HealthVerdict v = f.judge().judge(streak, since, now);
                if (v.disableReason() != null) {
                    disable(failing, v.disableReason(), now);
                } else if (v.probeAfter() != null) {
                    store.endpoints()
                            .put(with(
                                    failing,
                                    new Endpoint.Health(
                                            streak, since, v.probeAfter(), h.disabledReason(), h.disabledAt()),
                                    e.enabled()));
                }
            }
        }
    }

    private void disable(Endpoint e, String reason, Instant now) {
        if (!e.enabled()) {
            return;
        }
        Endpoint.Health h = e.health();
        store.endpoints()
                .put(with(e, new Endpoint.Health(h.consecutiveFailures(), h.failingSince(), null, reason, now), false));
    }

    private static Endpoint with(Endpoint e, Endpoint.Health h, boolean enabled) {
        return new Endpoint(
                e.id(),
                e.partnerId(),
                e.url(),
                e.eventTypes(),
                e.description(),
                enabled,
                e.secret(),
                e.createdAt(),
                e.updatedAt(),
                e.limits(),
                h,
                e.previousSecret(),
                e.previousSecretExpiresAt(),
                e.profile(),
                e.filter());
    }

    @Override
    public RetryResult retryNow(PartnerId partner, DeliveryId id, Instant now) {
        synchronized (store) {
            InMemoryStore.Row r = store.rows.get(id);
            if (r == null || !r.partnerId.equals(partner)) {
                return RetryResult.NOT_FOUND;
            }
            if (r.status == DeliveryStatus.DELIVERED) {
                return RetryResult.DELIVERED_ALREADY;
            }
            if (r.leaseToken != null) {
                return RetryResult.IN_FLIGHT;
            }
            r.nextAt = store.pendingAgainAt(r, now.toEpochMilli());
            r.status = DeliveryStatus.PENDING;
            return RetryResult.QUEUED;
        }
    }

    @Override
    public Resent resend(PartnerId partner, DeliveryId id, DeliveryId newId, Instant now) {
        synchronized (store) {
            InMemoryStore.Row old = store.rows.get(id);
            if (old == null || !old.partnerId.equals(partner)) {
                return new Resent(RetryResult.NOT_FOUND, null);
            }
            if (old.status == DeliveryStatus.PENDING) {
                return new Resent(RetryResult.IN_FLIGHT, null);
            }
            InMemoryStore.Row copy =
                    new InMemoryStore.Row(newId, old.eventId, old.endpointId, old.partnerId, now, old.orderingKey);
            copy.nextAt = store.pendingAgainAt(copy, now.toEpochMilli());
            store.rows.put(newId, copy);
            return new Resent(RetryResult.QUEUED, newId);
        }
    }

    @Override
    public int requeueFailed(PartnerId partner, EndpointId endpoint, Instant since, Instant now) {
        synchronized (store) {
            long nowMs = now.toEpochMilli();
            int n = 0;
            Set<String> keys = new HashSet<>();
            for (InMemoryStore.Row r : store.rows.values()) {
                if (r.partnerId.equals(partner)
                        && r.endpointId.equals(endpoint)
                        && r.status == DeliveryStatus.FAILED
                        && !r.createdAt.isBefore(since)) {
                    r.status = DeliveryStatus.PENDING;
                    r.nextAt = r.orderingKey == null
                            ? nowMs
                            : InMemoryStore.HELD + store.events.get(r.eventId).sequence();
                    if (r.orderingKey != null) {
                        keys.add(r.orderingKey);
                    }
                    n++;
                }
            }
            keys.forEach(k -> store.promote(endpoint, k, nowMs));
            return n;
        }
    }

    @Override
    public Stats stats(Instant now) {
        throw InMemoryStore.notFaked("DeliveryQueue.stats");
    }

    @Override
    public Optional<Instant> nextDueAt(Set<EndpointId> excluded) {
        synchronized (store) {
            Long min = null;
            for (InMemoryStore.Row r : store.rows.values()) {
                Optional<Endpoint> e = store.endpoints().any(r.endpointId);
                if (r.status != DeliveryStatus.PENDING
                        || e.isEmpty()
                        || !e.get().enabled()
                        || excluded.contains(r.endpointId)) {
                    continue;
                }
                long at = r.nextAt;
                Instant probe = e.get().health().probeAfter();
                if (probe != null && probe.toEpochMilli() > at) {
                    at = probe.toEpochMilli();
                }
                min = min == null ? at : Math.min(min, at);
            }
            return min == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(min));
        }
    }
}
