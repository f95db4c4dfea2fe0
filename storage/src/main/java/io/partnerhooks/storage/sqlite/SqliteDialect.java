package io.partnerhooks.storage.sqlite;

import com.zaxxer.hikari.HikariConfig;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Dialect;
import java.sql.SQLException;

/**
 * SQLite in WAL mode. One writer at a time is SQLite's rule, so every transaction starts
 * IMMEDIATE (takes the write lock up front) and waits up to busy_timeout for it instead of
 * failing half-way with SQLITE_BUSY. synchronous=FULL: a 2xx answer means the fact survives a
 * power cut, not only a process crash.
 */
public final class SqliteDialect implements Dialect {
    private static final ClaimStrategy CLAIMS = new SqliteClaimStrategy();

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String migrations() {
        return "classpath:db/sqlite";
    }

    @Override
    public void configure(HikariConfig config) {
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        config.addDataSourceProperty("busy_timeout", "15000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.addDataSourceProperty("foreign_keys", "true");
        config.setMaximumPoolSize(8);
    }

    @Override
    public boolean serializesWrites() {
        return true;
    }

    @Override
    public ClaimStrategy claimStrategy() {
        return CLAIMS;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        // SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555); older drivers say 19.
        String m = String.valueOf(e.getMessage());
        return e.getErrorCode() == 19
                || e.getErrorCode() == 2067
                || e.getErrorCode() == 1555
                || m.contains("UNIQUE constraint failed");
    }

    @Override
    public String rowLockClause() {
        return "";
    }

    /** One writer at a time: the counter the insert trigger bumps follows commit order (V22). */
    @Override
    public StreamOrder streamOrder() {
        return new StreamOrder("stream_pos", "stream_pos >= ? AND (stream_pos > ? OR id > ?)", "", "stream_pos, id");
    }
}
