package io.partnerhooks.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcEndpointStore implements EndpointStore {
    static final String COLUMNS =
            "id, partner_id, url, event_types, description, enabled, secret, created_at, updated_at";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Jdbc jdbc;

    JdbcEndpointStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Endpoint e) {
        jdbc.update("INSERT INTO endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id().value(), e.partnerId().value(), e.url(), toJson(e.eventTypes()), e.description(), e.enabled(),
                e.secret(), e.createdAt().toEpochMilli(), e.updatedAt().toEpochMilli());
    }

    @Override
    public boolean update(PartnerId partner, Endpoint e) {
        return jdbc.update("UPDATE endpoints SET url = ?, event_types = ?, description = ?, enabled = ?, updated_at = ?"
                        + " WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                e.url(), toJson(e.eventTypes()), e.description(), e.enabled(), e.updatedAt().toEpochMilli(),
                partner.value(), e.id().value()) == 1;
    }

    @Override
    public Optional<Endpoint> find(PartnerId partner, EndpointId id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND id = ? AND deleted_at IS NULL",
                JdbcEndpointStore::map, partner.value(), id.value());
    }

    @Override
    public List<Endpoint> list(PartnerId partner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND deleted_at IS NULL ORDER BY id",
                JdbcEndpointStore::map, partner.value());
    }

    @Override
    public List<Endpoint> listEnabled(PartnerId partner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE partner_id = ? AND enabled = ? AND deleted_at IS NULL"
                + " ORDER BY id", JdbcEndpointStore::map, partner.value(), true);
    }

    @Override
    public boolean delete(PartnerId partner, EndpointId id, Instant now) {
        return jdbc.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE endpoints SET deleted_at = ?, enabled = ? WHERE partner_id = ? AND id = ?"
                    + " AND deleted_at IS NULL", now.toEpochMilli(), false, partner.value(), id.value());
            if (n == 0) {
                return false;
            }
            // Nothing will ever send these now; say so instead of leaving them pending forever.
            Jdbc.update(c, "UPDATE deliveries SET status = 'failed', lease_token = NULL, updated_at = ?"
                    + " WHERE endpoint_id = ? AND status = 'pending'", now.toEpochMilli(), id.value());
            return true;
        });
    }

    static Endpoint map(ResultSet rs) throws SQLException {
        return new Endpoint(new EndpointId(rs.getString("id")), new PartnerId(rs.getString("partner_id")),
                rs.getString("url"), fromJson(rs.getString("event_types")), rs.getString("description"),
                rs.getBoolean("enabled"), rs.getString("secret"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
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
