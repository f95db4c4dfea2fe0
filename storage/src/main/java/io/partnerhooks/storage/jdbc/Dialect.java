package io.partnerhooks.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;

/** Everything that differs between SQLite and PostgreSQL, and nothing else. */
public interface Dialect {
    String name();

    /** Flyway location of this dialect's migrations. */
    String migrations();

    /** Pool settings and connection properties for this database. */
    void configure(HikariConfig config);

    /** How claims take due deliveries and ordered chains are locked on this database. */
    ClaimStrategy claimStrategy();

    boolean isUniqueViolation(SQLException e);

    /** True where the database takes one writer at a time, so that writes queue in-process (see Jdbc). */
    default boolean serializesWrites() {
        return false;
    }

    /** Writer threads of the group commit (storage/jdbc/GroupCommit): batches that may be in flight at once. */
    default int groupCommitWriters() {
        return 1;
    }

    /** Appended to a SELECT of one row that the transaction is about to change ("FOR UPDATE" where it exists). */
    String rowLockClause();

    /**
     * The pull stream's order (GET /v1/stream, V22): {@code place} selects an event's place as a
     * decimal number, {@code after} is the condition "after the cursor" with three parameters (the
     * number twice, then the event id), {@code settled} is the condition that nothing can still commit
     * before the row (empty where commits are serialised), {@code orderBy} the order.
     */
    record StreamOrder(String place, String after, String settled, String orderBy) {}

    StreamOrder streamOrder();
}
