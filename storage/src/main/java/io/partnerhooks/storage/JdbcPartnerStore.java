package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

final class JdbcPartnerStore implements PartnerStore {
    private final Jdbc jdbc;

    JdbcPartnerStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Partner p, String apiKeyHash) {
        jdbc.update("INSERT INTO partners (id, name, api_key_hash, created_at) VALUES (?, ?, ?, ?)",
                p.id().value(), p.name(), apiKeyHash, p.createdAt().toEpochMilli());
    }

    @Override
    public Optional<Partner> find(PartnerId id) {
        return jdbc.queryOne("SELECT id, name, created_at FROM partners WHERE id = ?", JdbcPartnerStore::map, id.value());
    }

    @Override
    public Optional<Partner> findByApiKeyHash(String apiKeyHash) {
        return jdbc.queryOne("SELECT id, name, created_at FROM partners WHERE api_key_hash = ?", JdbcPartnerStore::map,
                apiKeyHash);
    }

    @Override
    public java.util.List<Partner> list(int limit) {
        return jdbc.query("SELECT id, name, created_at FROM partners ORDER BY id LIMIT ?", JdbcPartnerStore::map, limit);
    }

    private static Partner map(ResultSet rs) throws SQLException {
        return new Partner(new PartnerId(rs.getString("id")), rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
