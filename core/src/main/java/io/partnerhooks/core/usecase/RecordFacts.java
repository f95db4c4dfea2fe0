package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The stateful facts besides quotas: WhatsApp accounts connected or lost, Public API tokens
 * rotated, 360dialog clients and channels with their lifecycle. Each change and its event are one
 * transaction; repeating the current state emits nothing.
 */
public final class RecordFacts {
    public static final String ACCOUNT = "whatsapp_account";
    public static final String TOKEN = "api_token";
    public static final String CLIENT = "client";
    public static final String CHANNEL = "channel";

    /** A transition the state machine refused (maps to 409, with the allowed moves). */
    public static final class RefusedTransition extends RuntimeException {
        private final String current;
        private final List<String> allowed;

        public RefusedTransition(String why, String current, List<String> allowed) {
            super(why);
            this.current = current;
            this.allowed = List.copyOf(allowed);
        }

        public String current() {
            return current;
        }

        public List<String> allowed() {
            return allowed;
        }
    }

    /** What a change did: the entity's state now, and the events written (empty for a no-op). */
    public record Recorded(ObjectNode state, List<Event> events) {}

    private final EntityStore entities;
    private final AccountFacts accounts;
    private final TokenFacts tokens;
    private final ChannelFacts channels;

    public RecordFacts(
            EntityStore entities,
            WorkspaceStore workspaces,
            PartnerStore partners,
            EndpointStore endpoints,
            IdGenerator ids,
            Clock clock,
            RandomGenerator random,
            Runnable wake) {
        FactEvents shared = new FactEvents(ids, wake);
        this.entities = entities;
        this.accounts = new AccountFacts(entities, workspaces, endpoints, clock, shared);
        this.tokens = new TokenFacts(entities, workspaces, endpoints, clock, random, shared);
        this.channels = new ChannelFacts(entities, partners, endpoints, clock, shared);
    }

    public static void checkId(String id, String field) {
        if (!Ids.isExternal(id)) {
            throw new InvalidInputException(
                    field, "must be 1 to 128 letters, digits or _ . : - (starting with a letter or digit)");
        }
    }

    // ---- WhatsApp accounts (TimelinesAI) ----

    public Recorded whatsappAccount(
            String workspaceId, String accountId, boolean connected, String phoneNumber, String userId, String reason) {
        return accounts.whatsappAccount(workspaceId, accountId, connected, phoneNumber, userId, reason);
    }

    // ---- Public API token (TimelinesAI) ----

    /** The new token (shown once) and the event; only the token's hash is kept. */
    public record RotatedToken(String token, Instant rotatedAt, List<Event> events) {}

    public RotatedToken rotateApiToken(PartnerId partner, String workspaceId) {
        return tokens.rotateApiToken(partner, workspaceId);
    }

    // ---- Clients and channels (360dialog) ----

    public Recorded upsertClient(String clientId, String partnerId, String name, ObjectNode contactInfo) {
        return channels.upsertClient(clientId, partnerId, name, contactInfo);
    }

    /** Channel fields the platform sets (null = keep). */
    public record ChannelFields(
            String partnerId,
            String clientId,
            String phoneNumber,
            String phoneName,
            String phoneNumberId,
            String wabaId,
            String accountMode) {}

    public Recorded upsertChannel(String channelId, ChannelFields f) {
        return channels.upsertChannel(channelId, f);
    }

    public Recorded transition(String channelId, String to) {
        return channels.transition(channelId, to);
    }

    /** The stored state of one fact (any kind above) with its owner; the audit trail reads it. */
    public Optional<Entity> current(String kind, String id) {
        return entities.findAny(kind, id);
    }

    public Optional<ObjectNode> channel(PartnerId partner, String channelId) {
        return channels.channel(partner, channelId);
    }

    public List<ObjectNode> channels(PartnerId partner, int limit, String after) {
        return channels.channels(partner, limit, after);
    }
}
