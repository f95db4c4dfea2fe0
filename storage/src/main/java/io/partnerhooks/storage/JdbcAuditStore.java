package io.partnerhooks.storage;

import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.AuditStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log table; the cursor is the row's sequence number, newest first. */
final class JdbcAuditStore implements AuditStore {
    private static final String COLUMNS = "seq, id, partner_id, actor_type, actor_id, action, target_type, target_id,"
            + " before_state, after_state, created_at";

    private final Jdbc jdbc;

    JdbcAuditStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void append(AuditEntry e) {
        jdbc.update(
                "INSERT INTO audit_log (id, partner_id, actor_type, actor_id, action, target_type, target_id,"
                        + " before_state, after_state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(),
                e.partnerId(),
                e.actorType(),
                e.actorId(),
                e.action(),
                e.targetType(),
                e.targetId(),
                e.beforeJson(),
                e.afterJson(),
                e.createdAt().toEpochMilli());
    }

    @Override
    public Page<AuditEntry> list(PartnerId partner, AuditFilter filter, int limit, String after) {
        return page("partner_id = ?", partner.value(), filter, limit, after);
    }

    @Override
    public Page<AuditEntry> listAll(AuditFilter filter, int limit, String after) {
        return page("1 = 1", null, filter, limit, after);
    }

    private record Row(long seq, AuditEntry entry) {}

    private Page<AuditEntry> page(String scope, String partner, AuditFilter f, int limit, String after) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE " + scope);
        List<Object> params = new ArrayList<>();
        if (partner != null) {
            params.add(partner);
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            params.add(f.action());
        }
        if (f.since() != null) {
            sql.append(" AND created_at >= ?");
            params.add(f.since().toEpochMilli());
        }
        if (f.until() != null) {
            sql.append(" AND created_at < ?");
            params.add(f.until().toEpochMilli());
        }
        if (after != null) {
            sql.append(" AND seq < ?");
            params.add(Long.parseLong(after));
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        params.add(limit + 1);
        List<Row> rows = jdbc.query(sql.toString(), JdbcAuditStore::map, params.toArray());
        boolean more = rows.size() > limit;
        List<Row> shown = more ? rows.subList(0, limit) : rows;
        return new Page<>(
                shown.stream().map(Row::entry).toList(),
                more ? Long.toString(shown.get(shown.size() - 1).seq()) : null);
    }

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong("seq"),
                new AuditEntry(
                        rs.getString("id"),
                        rs.getString("partner_id"),
                        rs.getString("actor_type"),
                        rs.getString("actor_id"),
                        rs.getString("action"),
                        rs.getString("target_type"),
                        rs.getString("target_id"),
                        rs.getString("before_state"),
                        rs.getString("after_state"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))));
    }
}
