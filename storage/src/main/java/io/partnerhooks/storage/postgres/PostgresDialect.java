package io.partnerhooks.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Dialect;
import java.sql.SQLException;

/** PostgreSQL: many nodes share it; claims skip rows another node has locked. */
public final class PostgresDialect implements Dialect {
    private static final ClaimStrategy CLAIMS = new PostgresClaimStrategy();

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String migrations() {
        return "classpath:db/postgres";
    }

    @Override
    public void configure(HikariConfig config) {
        config.setMaximumPoolSize(16);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }

    @Override
    public int groupCommitWriters() {
        return 1;
    }

    @Override
    public ClaimStrategy claimStrategy() {
        return CLAIMS;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public String rowLockClause() {
        return " FOR UPDATE";
    }

    /**
     * The writing transaction's id (V22); only rows of transactions older than the snapshot's xmin
     * are shown, since all of those have ended and none can commit below a cursor handed out.
     */
    @Override
    public StreamOrder streamOrder() {
        return new StreamOrder(
                "stream_xid::text",
                "stream_xid >= ?::text::xid8 AND (stream_xid > ?::text::xid8 OR id > ?)",
                "stream_xid < pg_snapshot_xmin(pg_current_snapshot())",
                "stream_xid, id");
    }
}
