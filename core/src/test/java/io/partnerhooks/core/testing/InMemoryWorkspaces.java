package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Workspaces and their threshold firings. A batch of changes is one unit: the changes run in
 * workspace id order against a copy, and only when every change and plan succeeded is anything
 * (states, firings, events) written, as the JDBC store's transaction does.
 */
public final class InMemoryWorkspaces implements WorkspaceStore {
    private final InMemoryStore store;
    private final Map<String, WorkspaceState> workspaces = new TreeMap<>();
    /** Workspace id → period start → the threshold keys fired in that period. */
    private final Map<String, Map<Instant, Set<String>>> firings = new HashMap<>();

    private final Map<PartnerId, TreeSet<Threshold>> thresholds = new HashMap<>();

    InMemoryWorkspaces(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public List<AppliedChange> apply(List<Change> changes, Planner planner, Instant now) {
        synchronized (store) {
            List<Change> ordered = new ArrayList<>(changes);
            ordered.sort(Comparator.comparing(ch -> ch.workspaceId().value()));
            Map<String, WorkspaceState> states = new HashMap<>();
            Map<String, Set<String>> fired = new HashMap<>();
            List<WorkspaceState> afters = new ArrayList<>();
            List<List<Publication>> published = new ArrayList<>();
            for (Change ch : ordered) {
                String id = ch.workspaceId().value();
                WorkspaceState before = states.containsKey(id) ? states.get(id) : workspaces.get(id);
                WorkspaceState after = ch.change().apply(before);
                if (after == null) {
                    throw new IllegalStateException("a workspace change returned nothing for " + ch.workspaceId());
                }
                states.put(after.workspaceId(), after);
                Set<String> firedNow = new HashSet<>(firedIn(after.workspaceId(), after.periodStart()));
                Plan plan = planner.plan(after, Set.copyOf(firedNow));
                firedNow.removeAll(plan.rearm());
                for (Publication p : plan.publish()) {
                    if (!firedNow.add(p.firingKey())) {
                        throw new IllegalStateException("threshold " + p.firingKey() + " fired twice in one period");
                    }
                }
                fired.put(after.workspaceId() + "\n" + after.periodStart(), firedNow);
                afters.add(after);
                published.add(plan.publish());
            }
            List<AppliedChange> out = new ArrayList<>();
            for (int i = 0; i < afters.size(); i++) {
                WorkspaceState after = afters.get(i);
                workspaces.put(after.workspaceId(), after);
                firings.computeIfAbsent(after.workspaceId(), k -> new HashMap<>())
                        .put(after.periodStart(), fired.get(after.workspaceId() + "\n" + after.periodStart()));
                List<Event> events = new ArrayList<>();
                for (Publication p : published.get(i)) {
                    long seq = store.insert(p.event(), p.deliveries());
                    events.add(p.event().withSequence(seq));
                }
                out.add(new AppliedChange(after, events));
            }
            return out;
        }
    }

    private Set<String> firedIn(String workspaceId, Instant periodStart) {
        return firings.getOrDefault(workspaceId, Map.of()).getOrDefault(periodStart, Set.of());
    }

    @Override
    public Optional<WorkspaceState> find(PartnerId partner, WorkspaceId workspaceId) {
        synchronized (store) {
            return Optional.ofNullable(workspaces.get(workspaceId.value()))
                    .filter(w -> w.partnerId().equals(partner.value()));
        }
    }

    @Override
    public Optional<WorkspaceState> findAny(WorkspaceId workspaceId) {
        synchronized (store) {
            return Optional.ofNullable(workspaces.get(workspaceId.value()));
        }
    }

    @Override
    public List<WorkspaceState> list(PartnerId partner, int limit, String afterId) {
        synchronized (store) {
            return workspaces.values().stream()
                    .filter(w -> w.partnerId().equals(partner.value()))
                    .filter(w -> afterId == null || w.workspaceId().compareTo(afterId) > 0)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public Set<String> firedThisPeriod(PartnerId partner, WorkspaceId workspaceId) {
        synchronized (store) {
            WorkspaceState w = workspaces.get(workspaceId.value());
            return w == null || !w.partnerId().equals(partner.value())
                    ? Set.of()
                    : Set.copyOf(firedIn(w.workspaceId(), w.periodStart()));
        }
    }

    @Override
    public List<Threshold> thresholds(PartnerId partner) {
        synchronized (store) {
            return List.copyOf(thresholds.getOrDefault(partner, new TreeSet<>(ORDER)));
        }
    }

    private static final Comparator<Threshold> ORDER =
            Comparator.comparing((Threshold t) -> t.quota().wire()).thenComparingInt(Threshold::percent);

    @Override
    public boolean addThreshold(PartnerId partner, Threshold t, Instant now) {
        synchronized (store) {
            return thresholds
                    .computeIfAbsent(partner, k -> new TreeSet<>(ORDER))
                    .add(t);
        }
    }

    @Override
    public boolean removeThreshold(PartnerId partner, Threshold t) {
        synchronized (store) {
            TreeSet<Threshold> ts = thresholds.get(partner);
            return ts != null && ts.remove(t);
        }
    }
}
