package io.partnerhooks.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcEndpointStore implements EndpointStore {
    static final String COLUMNS =
            "id, partner_id, url, event_types, description, enabled, secret, created_at, updated_at, max_in_flight,"
                    + " rate_limit_per_second, consecutive_failures, failing_since, probe_after, disabled_reason, disabled_at,"
                    + " previous_secret, previous_secret_expires_at, format, headers, role, channel_id, collapse, ordering,"
                    + " status_order, subject_filter, trace_context";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final Mapper mapper;

    JdbcEndpointStore(Jdbc jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.mapper = new Mapper(box);
    }

    /** Row mapping, with the secrets opened on the way out. */
    static final class Mapper {
        private final SecretBox box;

        Mapper(SecretBox box) {
            this.box = box;
        }

        String seal(String secret, String column) {
            return box.seal(secret, "endpoints." + column);
        }

        Endpoint map(ResultSet rs) throws SQLException {
            Long failingSince = Jdbc.nullableLong(rs, "failing_since");
            Long probeAfter = Jdbc.nullableLong(rs, "probe_after");
            Long disabledAt = Jdbc.nullableLong(rs, "disabled_at");
            Long prevExpires = Jdbc.nullableLong(rs, "previous_secret_expires_at");
            return new Endpoint(
                    new EndpointId(rs.getString("id")),
                    new PartnerId(rs.getString("partner_id")),
                    rs.getString("url"),
                    fromJson(rs.getString("event_types")),
                    rs.getString("description"),
                    rs.getBoolean("enabled"),
                    box.open(rs.getString("secret"), "endpoints.secret"),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    Instant.ofEpochMilli(rs.getLong("updated_at")),
                    new Endpoint.Limits(rs.getInt("max_in_flight"), Jdbc.nullableInt(rs, "rate_limit_per_second")),
                    new Endpoint.Health(
                            rs.getInt("consecutive_failures"),
                            instant(failingSince),
                            instant(probeAfter),
                            rs.getString("disabled_reason"),
                            instant(disabledAt)),
                    box.open(rs.getString("previous_secret"), "endpoints.previous_secret"),
                    instant(prevExpires),
                    new Endpoint.Profile(
                            rs.getString("format"),
                            headersFromJson(box.open(rs.getString("headers"), "endpoints.headers")),
                            rs.getString("channel_id"),
                            rs.getString("role"),
                            rs.getBoolean("collapse"),
                            rs.getString("ordering"),
                            rs.getString("status_order"),
                            rs.getBoolean("trace_context")),
                    filterFromJson(rs.getString("subject_filter")));
        }

        private static SubjectFilter filterFromJson(String json) {
            if (json == null) {
                return SubjectFilter.NONE;
            }
            try {
                JsonNode n = JSON.readTree(json);
                return new SubjectFilter(
                        strings(n.get(SubjectFilter.WORKSPACE_IDS)),
                        strings(n.get(SubjectFilter.CHANNEL_IDS)),
                        strings(n.get(SubjectFilter.PHONE_NUMBERS)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("corrupt endpoints.subject_filter column", e);
            }
        }

        private static List<String> strings(JsonNode a) {
            List<String> out = new ArrayList<>();
            if (a != null) {
                a.forEach(v -> out.add(v.asText()));
            }
            return out;
        }

        /** The custom headers as stored: sealed JSON, or NULL when there are none. */
        String sealHeaders(Map<String, String> headers) {
            if (headers.isEmpty()) {
                return null;
            }
            try {
                return seal(JSON.writeValueAsString(headers), "headers");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Map<String, String> headersFromJson(String json) {
            if (json == null) {
                return Map.of();
            }
            try {
                return JSON.readValue(json, HEADERS);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("corrupt endpoints.headers column", e);
            }
        }

        private static Instant instant(Long ms) {
            return ms == null ? null : Instant.ofEpochMilli(ms);
        }
    }

    @Override
    public void insert(Endpoint e) {
        Endpoint.Profile p = e.profile();
        // one created disabled is announced as such: there is no change to tell anyone about
        jdbc.update(
                "INSERT INTO endpoints (" + COLUMNS + ", announced_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id().value(),
                e.partnerId().value(),
                e.url(),
                toJson(e.eventTypes()),
                e.description(),
                e.enabled(),
                mapper.seal(e.secret(), "secret"),
                e.createdAt().toEpochMilli(),
                e.updatedAt().toEpochMilli(),
                e.limits().maxInFlight(),
                e.limits().ratePerSecond(),
                p.format(),
                mapper.sealHeaders(p.headers()),
                p.role(),
                p.channelId(),
                p.collapse(),
                p.ordering(),
                p.statusOrder(),
                filterJson(e.filter()),
                p.traceContext(),
                e.enabled() ? "active" : "disabled");
    }

    @Override
    public boolean update(PartnerId partner, Endpoint e) {
        long now = e.updatedAt().toEpochMilli();
        return jdbc.inTransaction(c -> {
            int n;
            if (e.enabled()) {
                n = Jdbc.update(
                        c,
                        "UPDATE endpoints SET url = ?, event_types = ?, description = ?, enabled = ?, updated_at = ?,"
                                + " max_in_flight = ?, rate_limit_per_second = ?, consecutive_failures = 0, failing_since = NULL,"
                                + " probe_after = NULL, disabled_reason = NULL, disabled_at = NULL, format = ?, headers = ?,"
                                + " collapse = ?, ordering = ?, status_order = ?, subject_filter = ?, trace_context = ?"
                                + " WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                        e.url(),
                        toJson(e.eventTypes()),
                        e.description(),
                        true,
                        now,
                        e.limits().maxInFlight(),
                        e.limits().ratePerSecond(),
                        e.format(),
                        mapper.sealHeaders(e.profile().headers()),
                        e.profile().collapse(),
                        e.profile().ordering(),
                        e.profile().statusOrder(),
                        filterJson(e.filter()),
                        e.profile().traceContext(),
                        partner.value(),
                        e.id().value());
            } else {
                // Disabled by the partner: keep our own reason if we disabled it first, note since when.
                n = Jdbc.update(
                        c,
                        "UPDATE endpoints SET url = ?, event_types = ?, description = ?, enabled = ?, updated_at = ?,"
                                + " max_in_flight = ?, rate_limit_per_second = ?, disabled_at = COALESCE(disabled_at, ?),"
                                + " format = ?, headers = ?, collapse = ?, ordering = ?, status_order = ?, subject_filter = ?, trace_context = ?"
                                + " WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                        e.url(),
                        toJson(e.eventTypes()),
                        e.description(),
                        false,
                        now,
                        e.limits().maxInFlight(),
                        e.limits().ratePerSecond(),
                        now,
                        e.format(),
                        mapper.sealHeaders(e.profile().headers()),
                        e.profile().collapse(),
                        e.profile().ordering(),
                        e.profile().statusOrder(),
                        filterJson(e.filter()),
                        e.profile().traceContext(),
                        partner.value(),
                        e.id().value());
            }
            if (n == 1 && !e.profile().ordered()) {
                // No longer ordered: what waited behind an earlier delivery of its key is due now. The
                // rows keep their key, so the chains drain as before (a late publisher's held row
                // still goes when its head ends); new deliveries carry no key (an index probe when
                // nothing is held).
                Jdbc.update(
                        c,
                        "UPDATE deliveries SET next_attempt_at = ?, updated_at = ? WHERE endpoint_id = ?"
                                + " AND status = 'pending' AND ordering_key IS NOT NULL AND next_attempt_at >= ?",
                        now,
                        now,
                        e.id().value(),
                        OrderedKeys.HELD);
            }
            return n == 1;
        });
    }

    @Override
    public boolean rotateSecret(
            PartnerId partner,
            EndpointId id,
            String newSecret,
            String previousSecret,
            Instant previousExpiresAt,
            Instant now) {
        return jdbc.update(
                        "UPDATE endpoints SET secret = ?, previous_secret = ?, previous_secret_expires_at = ?,"
                                + " updated_at = ? WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                        mapper.seal(newSecret, "secret"),
                        mapper.seal(previousSecret, "previous_secret"),
                        previousExpiresAt == null ? null : previousExpiresAt.toEpochMilli(),
                        now.toEpochMilli(),
                        partner.value(),
                        id.value())
                == 1;
    }

    @Override
    public Optional<Endpoint> find(PartnerId partner, EndpointId id) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                mapper::map,
                partner.value(),
                id.value());
    }

    @Override
    public List<Endpoint> list(PartnerId partner) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND deleted_at IS NULL ORDER BY id",
                mapper::map,
                partner.value());
    }

    @Override
    public Optional<Endpoint> findMessaging(PartnerId partner, ChannelId channelId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND channel_id = ? AND role = ?"
                        + " AND deleted_at IS NULL",
                mapper::map,
                partner.value(),
                channelId.value(),
                Endpoint.ROLE_MESSAGING);
    }

    @Override
    public List<Endpoint> listEnabled(PartnerId partner) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND enabled = ? AND deleted_at IS NULL"
                        + " ORDER BY id",
                mapper::map,
                partner.value(),
                true);
    }

    @Override
    public boolean delete(PartnerId partner, EndpointId id, Instant now) {
        return jdbc.inTransaction(c -> {
            int n = Jdbc.update(
                    c,
                    "UPDATE endpoints SET deleted_at = ?, enabled = ? WHERE partner_id = ? AND id = ?"
                            + " AND deleted_at IS NULL",
                    now.toEpochMilli(),
                    false,
                    partner.value(),
                    id.value());
            if (n == 0) {
                return false;
            }
            // Nothing will ever send these now; say so instead of leaving them pending forever.
            Jdbc.update(
                    c,
                    "UPDATE deliveries SET status = 'failed', lease_token = NULL, updated_at = ?"
                            + " WHERE endpoint_id = ? AND status = 'pending'",
                    now.toEpochMilli(),
                    id.value());
            return true;
        });
    }

    @Override
    public List<Unannounced> unannounced(Instant cooldownBefore, int limit) {
        // the state as partners see it (Endpoint#state) against the one last announced
        return jdbc.query(
                "SELECT " + COLUMNS + ", announced_state, announced_at FROM endpoints WHERE deleted_at IS NULL"
                        + " AND ((enabled = ? AND announced_state <> 'disabled')"
                        + " OR (enabled = ? AND probe_after IS NULL AND announced_state <> 'active')"
                        + " OR (enabled = ? AND probe_after IS NOT NULL AND (announced_state IN ('active', 'disabled')"
                        + " OR (announced_state = 'cooldown' AND announced_at <= ?))))"
                        + " ORDER BY id LIMIT ?",
                rs -> new Unannounced(
                        mapper.map(rs),
                        rs.getString("announced_state"),
                        Instant.ofEpochMilli(rs.getLong("announced_at"))),
                false,
                true,
                true,
                cooldownBefore.toEpochMilli(),
                limit);
    }

    @Override
    public boolean announce(PartnerId partner, EndpointId id, String from, String to, Instant at) {
        return jdbc.update(
                        "UPDATE endpoints SET announced_state = ?, announced_at = ? WHERE partner_id = ? AND id = ?"
                                + " AND announced_state = ?",
                        to,
                        at.toEpochMilli(),
                        partner.value(),
                        id.value(),
                        from)
                == 1;
    }

    /** The filter as stored: a JSON object of the non-empty lists, or NULL when it lets everything through. */
    static String filterJson(SubjectFilter f) {
        if (f.isEmpty()) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        for (String field : SubjectFilter.FIELDS) {
            if (!f.values(field).isEmpty()) {
                f.values(field).forEach(n.putArray(field)::add);
            }
        }
        return n.toString();
    }

    private static String toJson(List<String> types) {
        try {
            return JSON.writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt event_types column: " + json, e);
        }
    }
}
