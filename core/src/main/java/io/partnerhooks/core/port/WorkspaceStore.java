package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Workspaces' plans and usage, and the record of which thresholds fired in which period. A change
 * and the events it causes are one transaction, with the workspace's row locked: two nodes
 * reporting usage for the same workspace at once cannot both fire the same threshold.
 */
public interface WorkspaceStore {
    /** An event to write because a threshold fired; {@code firingKey} is recorded with the period. */
    record Publication(String firingKey, Event event, List<NewDelivery> deliveries) {}

    /** What the rules decided for a state: what fires (with its event) and what re-arms. */
    record Plan(List<Publication> publish, Set<String> rearm) {}

    @FunctionalInterface
    interface Planner {
        Plan plan(WorkspaceState after, Set<String> firedThisPeriod);
    }

    /**
     * A change to one workspace: {@code change} gets the current state (null when new) and returns
     * the new one, or throws to abort the whole transaction (e.g. an unknown workspace).
     */
    record Change(WorkspaceId workspaceId, UnaryOperator<WorkspaceState> change) {}

    /**
     * Applies the changes in one transaction (workspaces locked in id order), runs the planner on
     * each result, records firings, deletes re-armed ones, and writes the events with their
     * deliveries.
     */
    List<AppliedChange> apply(List<Change> changes, Planner planner, Instant now);

    Optional<WorkspaceState> find(PartnerId partner, WorkspaceId workspaceId);

    /** Any partner's workspace, for the platform API (which names the partner in the body). */
    Optional<WorkspaceState> findAny(WorkspaceId workspaceId);

    List<WorkspaceState> list(PartnerId partner, int limit, String afterId);

    /** Threshold keys that fired in the partner's workspace's current period (none for another partner's). */
    Set<String> firedThisPeriod(PartnerId partner, WorkspaceId workspaceId);

    List<Threshold> thresholds(PartnerId partner);

    boolean addThreshold(PartnerId partner, Threshold t, Instant now);

    boolean removeThreshold(PartnerId partner, Threshold t);
}
