package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Endpoints as JdbcEndpointStore keeps them: scoped by partner, soft-deleted, one default per format. */
public final class InMemoryEndpoints implements EndpointStore {
    private final InMemoryStore store;
    /** By id (ids sort by creation time, as the JDBC store lists them). */
    private final Map<EndpointId, Endpoint> byId = new TreeMap<>(Comparator.comparing(EndpointId::value));

    private final Map<EndpointId, Instant> deletedAt = new TreeMap<>(Comparator.comparing(EndpointId::value));
    private final Map<EndpointId, String[]> announced = new TreeMap<>(Comparator.comparing(EndpointId::value));

    InMemoryEndpoints(InMemoryStore store) {
        this.store = store;
    }

    private boolean live(PartnerId partner, EndpointId id) {
        Endpoint e = byId.get(id);
        return e != null && e.partnerId().equals(partner) && !deletedAt.containsKey(id);
    }

    /** Any partner's live endpoint (for the queue, which reads endpoints by delivery). */
    Optional<Endpoint> any(EndpointId id) {
        return deletedAt.containsKey(id) ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** Replaces the stored endpoint (health changes by the queue). */
    void put(Endpoint e) {
        byId.put(e.id(), e);
    }

    @Override
    public void insert(Endpoint e) {
        synchronized (store) {
            if (byId.containsKey(e.id())) {
                throw new IllegalStateException("duplicate endpoint id " + e.id());
            }
            if (Endpoint.ROLE_DEFAULT.equals(e.profile().role())) {
                for (Endpoint o : byId.values()) {
                    if (live(o.partnerId(), o.id())
                            && o.partnerId().equals(e.partnerId())
                            && Endpoint.ROLE_DEFAULT.equals(o.profile().role())
                            && o.format().equals(e.format())) {
                        throw new IllegalStateException(
                                "the partner has a default " + e.format() + " endpoint already");
                    }
                }
            }
            byId.put(e.id(), e);
            announced.put(e.id(), new String[] {e.enabled() ? "active" : "disabled", "0"});
        }
    }

    @Override
    public boolean update(PartnerId partner, Endpoint e) {
        synchronized (store) {
            if (!live(partner, e.id())) {
                return false;
            }
            Endpoint old = byId.get(e.id());
            Endpoint.Health h = old.health();
            Endpoint.Health health = e.enabled()
                    ? Endpoint.Health.OK
                    : new Endpoint.Health(
                            h.consecutiveFailures(),
                            h.failingSince(),
                            h.probeAfter(),
                            h.disabledReason(),
                            h.disabledAt() != null ? h.disabledAt() : e.updatedAt());
            byId.put(
                    e.id(),
                    new Endpoint(
                            e.id(),
                            old.partnerId(),
                            e.url(),
                            e.eventTypes(),
                            e.description(),
                            e.enabled(),
                            old.secret(),
                            old.createdAt(),
                            e.updatedAt(),
                            e.limits(),
                            health,
                            old.previousSecret(),
                            old.previousSecretExpiresAt(),
                            e.profile(),
                            e.filter()));
            if (!e.profile().ordered()) {
                long now = e.updatedAt().toEpochMilli();
                for (InMemoryStore.Row r : store.rows.values()) {
                    if (r.endpointId.equals(e.id()) && r.held()) {
                        r.nextAt = now;
                    }
                }
            }
            return true;
        }
    }

    @Override
    public Optional<Endpoint> find(PartnerId partner, EndpointId id) {
        synchronized (store) {
            return live(partner, id) ? Optional.of(byId.get(id)) : Optional.empty();
        }
    }

    @Override
    public List<Endpoint> list(PartnerId partner) {
        synchronized (store) {
            return byId.values().stream().filter(e -> live(partner, e.id())).toList();
        }
    }

    @Override
    public Optional<Endpoint> findMessaging(PartnerId partner, ChannelId channelId) {
        synchronized (store) {
            return byId.values().stream()
                    .filter(e -> live(partner, e.id())
                            && channelId.value().equals(e.profile().channelId())
                            && Endpoint.ROLE_MESSAGING.equals(e.profile().role()))
                    .findFirst();
        }
    }

    @Override
    public List<Endpoint> listEnabled(PartnerId partner) {
        synchronized (store) {
            return byId.values().stream()
                    .filter(e -> live(partner, e.id()) && e.enabled())
                    .toList();
        }
    }

    @Override
    public boolean rotateSecret(
            PartnerId partner,
            EndpointId id,
            String newSecret,
            String previousSecret,
            Instant previousExpiresAt,
            Instant now) {
        synchronized (store) {
            if (!live(partner, id)) {
                return false;
            }
            byId.put(id, byId.get(id).withSecrets(newSecret, previousSecret, previousExpiresAt, now));
            return true;
        }
    }

    @Override
    public boolean delete(PartnerId partner, EndpointId id, Instant now) {
        synchronized (store) {
            if (!live(partner, id)) {
                return false;
            }
            deletedAt.put(id, now);
            for (InMemoryStore.Row r : store.rows.values()) {
                if (r.endpointId.equals(id) && r.status == DeliveryStatus.PENDING) {
                    r.status = DeliveryStatus.FAILED;
                    r.leaseToken = null;
                }
            }
            return true;
        }
    }

    @Override
    public List<Unannounced> unannounced(Instant cooldownBefore, int limit) {
        synchronized (store) {
            List<Unannounced> out = new ArrayList<>();
            for (Endpoint e : byId.values()) {
                if (deletedAt.containsKey(e.id()) || out.size() >= limit) {
                    continue;
                }
                String state = announced.get(e.id())[0];
                Instant at = Instant.ofEpochMilli(Long.parseLong(announced.get(e.id())[1]));
                boolean cooling = e.health().probeAfter() != null;
                boolean differs = (!e.enabled() && !state.equals("disabled"))
                        || (e.enabled() && !cooling && !state.equals("active"))
                        || (e.enabled()
                                && cooling
                                && (state.equals("active")
                                        || state.equals("disabled")
                                        || (state.equals("cooldown") && !at.isAfter(cooldownBefore))));
                if (differs) {
                    out.add(new Unannounced(e, state, at));
                }
            }
            return out;
        }
    }

    @Override
    public boolean announce(PartnerId partner, EndpointId id, String from, String to, Instant at) {
        synchronized (store) {
            String[] a = announced.get(id);
            Endpoint e = byId.get(id);
            if (a == null || !e.partnerId().equals(partner) || !a[0].equals(from)) {
                return false;
            }
            a[0] = to;
            a[1] = Long.toString(at.toEpochMilli());
            return true;
        }
    }

    /** The state last announced for the endpoint (for tests). */
    public String announcedState(EndpointId id) {
        synchronized (store) {
            return announced.get(id)[0];
        }
    }
}
