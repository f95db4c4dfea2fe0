package io.partnerhooks.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The whole of our JDBC layer: run a statement with parameters bound in order, map rows, and run a
 * block in one transaction. SQL stays as plain strings next to the method that uses it.
 */
public final class Jdbc {
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface TxBlock<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    /** Set where the database has one writer at a time (SQLite); see {@link #Jdbc(DataSource, boolean)}. */
    private final ReentrantLock writeLock;

    public Jdbc(DataSource dataSource) {
        this(dataSource, false);
    }

    /**
     * @param serializeWrites queue this process's write transactions on a fair lock before they
     *     begin. SQLite lets one writer in at a time and makes the others poll with sleeps of up to
     *     100 ms (its busy handler); queueing here instead hands the lock over at once and in order.
     */
    public Jdbc(DataSource dataSource, boolean serializeWrites) {
        this.dataSource = dataSource;
        this.writeLock = serializeWrites ? new ReentrantLock(true) : null;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The connection of an outer {@link #joined} unit of work on this thread, if any. Statements run
     * inside it join that transaction, each block behind a savepoint, so an inner block that fails
     * (say a unique violation it catches) undoes only itself, as it would have alone.
     */
    private final ThreadLocal<Outer> outer = new ThreadLocal<>();

    private static final class Outer {
        final Connection connection;
        final List<Runnable> afterCommit = new ArrayList<>();

        Outer(Connection connection) {
            this.connection = connection;
        }
    }

    /** Runs the block in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(TxBlock<T> block) {
        Outer o = outer.get();
        if (o != null) {
            return inSavepoint(o.connection, block);
        }
        if (writeLock != null) {
            writeLock.lock();
            try {
                return transaction(block);
            } finally {
                writeLock.unlock();
            }
        }
        return transaction(block);
    }

    /** True while this thread runs inside a {@link #joined} unit of work. */
    public boolean inJoined() {
        return outer.get() != null;
    }

    private <T> T transaction(TxBlock<T> block) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = block.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /**
     * Runs {@code work} as one transaction that every store call it makes on this thread joins:
     * all of it is committed together or none of it. Nested calls join the outermost one.
     * {@link #afterCommit} actions run once it has committed (and never when it rolls back).
     */
    public <T> T joined(Supplier<T> work) {
        if (outer.get() != null) {
            return work.get();
        }
        List<Runnable> after;
        T result;
        // SQLite has one writer: the unit holds the in-process write lock throughout, as a single
        // transaction does, so group-commit writers queue behind it instead of meeting SQLITE_BUSY
        if (writeLock != null) {
            writeLock.lock();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Outer o = new Outer(c);
            outer.set(o);
            try {
                result = work.get();
                c.commit();
                after = o.afterCommit;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                outer.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        } finally {
            if (writeLock != null) {
                writeLock.unlock();
            }
        }
        after.forEach(Runnable::run);
        return result;
    }

    /** Runs the action after the surrounding {@link #joined} unit commits, or now when there is none. */
    public void afterCommit(Runnable action) {
        Outer o = outer.get();
        if (o == null) {
            action.run();
        } else {
            o.afterCommit.add(action);
        }
    }

    private static <T> T inSavepoint(Connection c, TxBlock<T> block) {
        try {
            Savepoint sp = c.setSavepoint();
            try {
                T result = block.run(c);
                c.releaseSavepoint(sp);
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback(sp);
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /** A single statement outside any explicit transaction (its own autocommit), or inside the joined one. */
    public <T> T withConnection(TxBlock<T> block) {
        Outer o = outer.get();
        if (o != null) {
            return inSavepoint(o.connection, block);
        }
        try (Connection c = dataSource.getConnection()) {
            return block.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> query(c, sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... params) {
        if (writeLock != null) {
            writeLock.lock();
            try {
                return withConnection(c -> update(c, sql, params));
            } finally {
                writeLock.unlock();
            }
        }
        return withConnection(c -> update(c, sql, params));
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            switch (p) {
                case null -> ps.setNull(i, Types.NULL);
                case String s -> ps.setString(i, s);
                case Long l -> ps.setLong(i, l);
                case Integer n -> ps.setInt(i, n);
                case Boolean b -> ps.setBoolean(i, b);
                default -> ps.setObject(i, p);
            }
            i++;
        }
    }

    /** "?, ?, ?" for an IN list of n values. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
