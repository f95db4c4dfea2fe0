package io.partnerhooks.storage;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcPartnerStore implements PartnerStore {
    private static final String KEY_COLUMNS = "k.id AS key_id, k.partner_id AS key_partner_id, k.prefix, "
            + "k.created_at AS key_created_at, k.last_used_at, k.expires_at";
    /** A key authenticates while it is not revoked and has no expiry, or one after now. */
    private static final String LIVE = "k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)";

    private final Jdbc jdbc;

    JdbcPartnerStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Partner p, ApiKey firstKey, String apiKeyHash) {
        jdbc.joined(() -> {
            // partners.api_key_hash is no longer read (keys live in api_keys since V16); it is still
            // NOT NULL UNIQUE, and SQLite cannot drop such a column without rebuilding the table
            jdbc.update(
                    "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES (?, ?, ?, ?)",
                    p.id().value(),
                    p.name(),
                    apiKeyHash,
                    p.createdAt().toEpochMilli());
            insertKey(firstKey, apiKeyHash);
            return null;
        });
    }

    @Override
    public Optional<Partner> find(PartnerId id) {
        return jdbc.queryOne(
                "SELECT id, name, created_at FROM partners WHERE id = ?", JdbcPartnerStore::map, id.value());
    }

    @Override
    public Optional<KeyHolder> findByApiKeyHash(String apiKeyHash, Instant now) {
        return jdbc.queryOne(
                "SELECT p.id, p.name, p.created_at, " + KEY_COLUMNS
                        + " FROM api_keys k JOIN partners p ON p.id = k.partner_id WHERE k.key_hash = ? AND " + LIVE,
                rs -> new KeyHolder(map(rs), mapKey(rs)),
                apiKeyHash,
                now.toEpochMilli());
    }

    @Override
    public List<Partner> list(int limit) {
        return jdbc.query(
                "SELECT id, name, created_at FROM partners ORDER BY id LIMIT ?", JdbcPartnerStore::map, limit);
    }

    @Override
    public void insertKey(ApiKey key, String apiKeyHash) {
        jdbc.update(
                "INSERT INTO api_keys (id, partner_id, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                key.id().value(),
                key.partnerId().value(),
                apiKeyHash,
                key.prefix(),
                key.createdAt().toEpochMilli());
    }

    @Override
    public List<ApiKey> keys(PartnerId partner, Instant now) {
        return jdbc.query(
                "SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.partner_id = ? AND " + LIVE
                        + " ORDER BY k.created_at, k.id",
                JdbcPartnerStore::mapKey,
                partner.value(),
                now.toEpochMilli());
    }

    @Override
    public Optional<ApiKey> key(PartnerId partner, ApiKeyId id, Instant now) {
        return jdbc.queryOne(
                "SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.partner_id = ? AND k.id = ? AND " + LIVE,
                JdbcPartnerStore::mapKey,
                partner.value(),
                id.value(),
                now.toEpochMilli());
    }

    @Override
    public boolean revokeKey(PartnerId partner, ApiKeyId id, Instant now) {
        return jdbc.update(
                        "UPDATE api_keys SET revoked_at = ? WHERE partner_id = ? AND id = ? AND revoked_at IS NULL",
                        now.toEpochMilli(),
                        partner.value(),
                        id.value())
                == 1;
    }

    @Override
    public Instant expireKey(PartnerId partner, ApiKeyId id, Instant at) {
        return jdbc.joined(() -> {
            jdbc.update(
                    "UPDATE api_keys SET expires_at = ? WHERE partner_id = ? AND id = ?"
                            + " AND (expires_at IS NULL OR expires_at > ?)",
                    at.toEpochMilli(),
                    partner.value(),
                    id.value(),
                    at.toEpochMilli());
            return jdbc.queryOne(
                            "SELECT expires_at FROM api_keys WHERE partner_id = ? AND id = ?",
                            rs -> Instant.ofEpochMilli(rs.getLong(1)),
                            partner.value(),
                            id.value())
                    .orElseThrow();
        });
    }

    @Override
    public void touchKey(PartnerId partner, ApiKeyId id, Instant now, Instant notAfter) {
        jdbc.update(
                "UPDATE api_keys SET last_used_at = ? WHERE partner_id = ? AND id = ?"
                        + " AND (last_used_at IS NULL OR last_used_at <= ?)",
                now.toEpochMilli(),
                partner.value(),
                id.value(),
                notAfter.toEpochMilli());
    }

    private static Partner map(ResultSet rs) throws SQLException {
        return new Partner(
                new PartnerId(rs.getString("id")),
                rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static ApiKey mapKey(ResultSet rs) throws SQLException {
        Long last = Jdbc.nullableLong(rs, "last_used_at");
        Long expires = Jdbc.nullableLong(rs, "expires_at");
        return new ApiKey(
                new ApiKeyId(rs.getString("key_id")),
                new PartnerId(rs.getString("key_partner_id")),
                rs.getString("prefix"),
                Instant.ofEpochMilli(rs.getLong("key_created_at")),
                last == null ? null : Instant.ofEpochMilli(last),
                expires == null ? null : Instant.ofEpochMilli(expires));
    }
}
