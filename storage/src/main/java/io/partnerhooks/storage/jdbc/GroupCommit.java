package io.partnerhooks.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: concurrent callers hand in small transaction blocks; a writer thread runs every
 * block waiting at that moment in ONE transaction and commits once, then each caller returns
 * with its own result. One fsync (SQLite) or WAL flush (PostgreSQL) then covers many publishes
 * or delivery outcomes instead of one each.
 *
 * <p>Each caller still returns only after the commit that holds its writes, so "durable before
 * 2xx" is unchanged. If any block of a batch fails, the batch is rolled back and every block of
 * it runs again alone, in its own transaction, exactly as without grouping: a failing block (a
 * unique-key race, say) cannot fail its neighbours. Blocks must therefore only touch the
 * database through the connection they are given.
 */
public final class GroupCommit implements AutoCloseable {
    /**
     * Work that is cheaper done for many callers at once (one multi-row statement instead of one
     * statement each): gets every waiting caller's item and returns their results in the same order.
     */
    @FunctionalInterface
    public interface BatchBlock<I, R> {
        List<R> runAll(Connection c, List<I> items) throws SQLException;
    }

    private static final class Unit<T> {
        final Jdbc.TxBlock<T> block;
        final BatchBlock<Object, T> batch;
        final Object item;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;

        Unit(Jdbc.TxBlock<T> block) {
            this.block = block;
            this.batch = null;
            this.item = null;
        }

        @SuppressWarnings("unchecked")
        Unit(BatchBlock<?, T> batch, Object item) {
            this.batch = (BatchBlock<Object, T>) batch;
            this.item = item;
            this.block = c -> this.batch.runAll(c, List.of(item)).get(0);
        }
    }

    private final Jdbc jdbc;
    private final int maxBatch;
    private final LinkedBlockingQueue<Unit<?>> pending = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param writers how many batches may be in flight at once (1 for SQLite, which has one
     *     writer anyway; a few for PostgreSQL, so one batch's round trips overlap another's flush)
     */
    public GroupCommit(Jdbc jdbc, String name, int writers, int maxBatch) {
        this.jdbc = jdbc;
        this.maxBatch = maxBatch;
        for (int i = 0; i < writers; i++) {
            this.writers.add(
                    Thread.ofPlatform().name(name + "-" + i).daemon(true).start(this::loop));
        }
    }

    /** Runs the block in a transaction shared with other callers'; returns after that transaction commits. */
    public <T> T run(Jdbc.TxBlock<T> block) {
        return submit(new Unit<>(block));
    }

    /**
     * Like {@link #run}, for work that the batch block does for all waiting callers at once; the
     * same block instance must be passed by every caller that may share a batch.
     */
    public <I, R> R runBatched(BatchBlock<I, R> batch, I item) {
        return submit(new Unit<>(batch, item));
    }

    private <T> T submit(Unit<T> u) {
        // inside a joined unit of work (an audited change), the writes belong to that unit's
        // transaction: run them here, on its connection, not in a writer's separate commit
        if (closed || jdbc.inJoined()) {
            return jdbc.inTransaction(u.block);
        }
        pending.add(u);
        try {
            return u.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void loop() {
        List<Unit<?>> batch = new ArrayList<>(maxBatch);
        while (!closed || !pending.isEmpty()) {
            try {
                Unit<?> first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                pending.drainTo(batch, maxBatch - 1);
                if (batch.size() == 1) {
                    alone(first);
                } else {
                    together(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void together(List<Unit<?>> batch) {
        try {
            jdbc.inTransaction(c -> {
                Map<BatchBlock<Object, ?>, List<Unit<?>>> byBlock = new LinkedHashMap<>();
                for (Unit<?> u : batch) {
                    if (u.batch == null) {
                        runInto(u, c);
                    } else {
                        byBlock.computeIfAbsent(u.batch, k -> new ArrayList<>()).add(u);
                    }
                }
                for (var e : byBlock.entrySet()) {
                    runAllInto(e.getKey(), e.getValue(), c);
                }
                return null;
            });
        } catch (RuntimeException | Error e) {
            if (unavailable(e)) {
                // no connection, or it broke: retrying each block alone would only make every
                // caller wait for one more connection timeout in turn (a batch of 50 would take
                // 50 timeouts); they all get the same answer now, and their callers answer 503
                for (Unit<?> u : batch) {
                    u.done.completeExceptionally(e);
                }
                return;
            }
            for (Unit<?> u : batch) {
                alone(u);
            }
            return;
        }
        for (Unit<?> u : batch) {
            complete(u);
        }
    }

    /**
     * Whether a failure says the database cannot be reached (no connection within the pool's
     * timeout, or the connection broke: SQLState class 08, or 57P for a server shutting down)
     * rather than something about the blocks themselves.
     */
    static boolean unavailable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static <T> void runInto(Unit<T> u, Connection c) throws SQLException {
        u.result = u.block.run(c);
    }

    @SuppressWarnings("unchecked")
    private static void runAllInto(BatchBlock<Object, ?> block, List<Unit<?>> units, Connection c) throws SQLException {
        List<Object> items = new ArrayList<>(units.size());
        for (Unit<?> u : units) {
            items.add(u.item);
        }
        List<?> results = block.runAll(c, items);
        for (int i = 0; i < units.size(); i++) {
            ((Unit<Object>) units.get(i)).result = results.get(i);
        }
    }

    private static <T> void complete(Unit<T> u) {
        u.done.complete(u.result);
    }

    private <T> void alone(Unit<T> u) {
        try {
            u.done.complete(jdbc.inTransaction(u.block));
        } catch (Throwable t) {
            u.done.completeExceptionally(t);
        }
    }

    /** Finishes what is queued, then further calls run in transactions of their own. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : writers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // anything that slipped in after the writers stopped
        Unit<?> u;
        while ((u = pending.poll()) != null) {
            alone(u);
        }
    }
}
