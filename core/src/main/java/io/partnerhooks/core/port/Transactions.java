package io.partnerhooks.core.port;

import java.util.function.Supplier;

/**
 * One unit of work across several store calls: whatever the stores write while {@code work} runs
 * on this thread is committed together, or not at all. The audit trail uses it so that a change and
 * its audit row can never exist one without the other.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    /** Runs the action once the surrounding unit of work has committed; at once when there is none. */
    void afterCommit(Runnable action);
}
