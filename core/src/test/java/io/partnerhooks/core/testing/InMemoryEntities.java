package io.partnerhooks.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EntityStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stateful facts: a change runs its step on the current state and writes the new state, its claims
 * and its events together, or (when the step throws, a claim is another partner's, or a channel's
 * phone_number_id is another channel's) nothing.
 */
public final class InMemoryEntities implements EntityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryStore store;
    /** "kind\nid" → entity, sorted so that a kind's entities list by id. */
    private final Map<String, Entity> entities = new TreeMap<>();

    private final Map<String, String> claims = new HashMap<>();

    InMemoryEntities(InMemoryStore store) {
        this.store = store;
    }

    private static String key(String kind, String id) {
        return kind + "\n" + id;
    }

    @Override
    public List<Event> change(String kind, String id, Step step, Instant now) {
        synchronized (store) {
            Outcome o = step.apply(Optional.ofNullable(entities.get(key(kind, id))));
            if (o.next() != null && "channel".equals(kind)) {
                String number = phoneNumberId(o.next());
                Optional<Entity> holder = channelByPhoneNumberId(number).filter(h -> !h.id().equals(id));
                if (number != null && holder.isPresent()) {
                    throw new ConflictException("phone_number_id", "this phone_number_id belongs to another channel");
                }
            }
            for (Claim c : o.claims()) {
                String holder = claims.get(c.name() + "\n" + c.value());
                if (holder != null && !holder.equals(o.next().partnerId())) {
                    throw new ConflictException(c.name(), "this " + c.name() + " belongs to another partner");
                }
            }
            Set<DeliveryId> fresh = new HashSet<>();
            for (Emission e : o.emit()) {
                store.checkNew(e.event(), e.deliveries(), fresh);
            }
            if (o.next() != null) {
                entities.put(key(kind, id), o.next());
            }
            for (Claim c : o.claims()) {
                claims.putIfAbsent(c.name() + "\n" + c.value(), o.next().partnerId());
            }
            List<Event> written = new ArrayList<>();
            for (Emission e : o.emit()) {
                long seq = store.insert(e.event(), e.deliveries());
                written.add(e.event().withSequence(seq));
            }
            return written;
        }
    }

    private static String phoneNumberId(Entity e) {
        try {
            return JSON.readTree(e.stateJson()).path("phone_number_id").asText(null);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public Optional<Entity> find(PartnerId partner, String kind, String id) {
        synchronized (store) {
            return Optional.ofNullable(entities.get(key(kind, id)))
                    .filter(e -> e.partnerId().equals(partner.value()));
        }
    }

    @Override
    public Optional<Entity> findAny(String kind, String id) {
        synchronized (store) {
            return Optional.ofNullable(entities.get(key(kind, id)));
        }
    }

    @Override
    public List<Entity> list(PartnerId partner, String kind, int limit, String afterId) {
        synchronized (store) {
            return entities.values().stream()
                    .filter(e -> e.kind().equals(kind) && e.partnerId().equals(partner.value()))
                    .filter(e -> afterId == null || e.id().compareTo(afterId) > 0)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public Optional<Entity> channelByPhoneNumberId(String phoneNumberId) {
        synchronized (store) {
            if (phoneNumberId == null) {
                return Optional.empty();
            }
            return entities.values().stream()
                    .filter(e -> e.kind().equals("channel") && phoneNumberId.equals(phoneNumberId(e)))
                    .findFirst();
        }
    }

    @Override
    public Optional<String> claimHolder(String name, String value) {
        synchronized (store) {
            return Optional.ofNullable(claims.get(name + "\n" + value));
        }
    }
}
