package io.partnerhooks.storage;

import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.PortalLink.Redemption;
import io.partnerhooks.core.domain.PortalLink.Refusal;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PortalLinkStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.time.Instant;
import java.util.Optional;

/** The portal_links table; redemption is one conditional UPDATE whose row count decides. */
final class JdbcPortalLinkStore implements PortalLinkStore {
    private final Jdbc jdbc;

    JdbcPortalLinkStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(String tokenHash, PartnerId partner, boolean readOnly, Instant createdAt, Instant expiresAt) {
        jdbc.update(
                "INSERT INTO portal_links (token_hash, partner_id, read_only, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                tokenHash,
                partner.value(),
                readOnly ? 1 : 0,
                createdAt.toEpochMilli(),
                expiresAt.toEpochMilli());
    }

    private record Row(PartnerId partner, boolean readOnly, long expiresAt, Long usedAt) {}

    private Optional<Row> find(String tokenHash) {
        return jdbc.queryOne(
                "SELECT partner_id, read_only, expires_at, used_at FROM portal_links WHERE token_hash = ?",
                rs -> new Row(
                        new PartnerId(rs.getString("partner_id")),
                        rs.getInt("read_only") != 0,
                        rs.getLong("expires_at"),
                        Jdbc.nullableLong(rs, "used_at")),
                tokenHash);
    }

    @Override
    public Redemption redeem(String tokenHash, Instant now) {
        long at = now.toEpochMilli();
        int changed = jdbc.update(
                "UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                at,
                tokenHash,
                at);
        Optional<Row> row = find(tokenHash);
        if (changed == 1 && row.isPresent()) {
            return new Redemption(new PortalLink(row.get().partner(), row.get().readOnly()), null);
        }
        return new Redemption(null, refusal(row, at));
    }

    @Override
    public Refusal check(String tokenHash, Instant now) {
        Optional<Row> row = find(tokenHash);
        Refusal r = refusal(row, now.toEpochMilli());
        return row.isPresent() && row.get().usedAt() == null && row.get().expiresAt() > now.toEpochMilli() ? null : r;
    }

    private static Refusal refusal(Optional<Row> row, long at) {
        if (row.isEmpty()) {
            return Refusal.UNKNOWN;
        }
        return row.get().usedAt() != null ? Refusal.USED : Refusal.EXPIRED;
    }
}
