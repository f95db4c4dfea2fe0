package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import io.partnerhooks.storage.jdbc.DataAccessException;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class JdbcWorkspaceStore implements WorkspaceStore {
    static final String COLUMNS = "id, partner_id, seats_purchased, seats_used, messaging_quota, messaging_used,"
            + " transactions_quota, transactions_used, api_calls_quota, api_calls_used, billing_period_start,"
            + " billing_period_end";

    private final Jdbc jdbc;
    private final Dialect dialect;
    private final EventWriter events;

    JdbcWorkspaceStore(Jdbc jdbc, Dialect dialect, EventWriter events) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.events = events;
    }

    @Override
    public List<AppliedChange> apply(List<Change> changes, Planner planner, Instant now) {
        // Lock in id order so that two batches touching the same workspaces cannot deadlock.
        List<Change> ordered = new ArrayList<>(changes);
        ordered.sort(Comparator.comparing(ch -> ch.workspaceId().value()));
        return jdbc.inTransaction(c -> {
            List<AppliedChange> out = new ArrayList<>();
            for (Change ch : ordered) {
                List<WorkspaceState> current = Jdbc.query(
                        c,
                        "SELECT " + COLUMNS + " FROM workspaces WHERE id = ?" + dialect.rowLockClause(),
                        JdbcWorkspaceStore::map,
                        ch.workspaceId().value());
                WorkspaceState before = current.isEmpty() ? null : current.get(0);
                WorkspaceState after = ch.change().apply(before);
                if (after == null) {
                    throw new IllegalStateException("a workspace change returned nothing for " + ch.workspaceId());
                }
                write(c, before == null, after, now);
                Set<String> fired = fired(c, after.workspaceId(), after.periodStart());
                Plan plan = planner.plan(after, fired);
                for (String key : plan.rearm()) {
                    Jdbc.update(
                            c,
                            "DELETE FROM quota_firings WHERE workspace_id = ? AND period_start = ? AND threshold_key = ?",
                            after.workspaceId(),
                            after.periodStart().toEpochMilli(),
                            key);
                }
                List<Event> published = new ArrayList<>();
                for (Publication p : plan.publish()) {
                    // The row lock makes a duplicate impossible here; the primary key would refuse one anyway.
                    Jdbc.update(
                            c,
                            "INSERT INTO quota_firings (workspace_id, period_start, threshold_key, event_id, fired_at)"
                                    + " VALUES (?, ?, ?, ?, ?)",
                            after.workspaceId(),
                            after.periodStart().toEpochMilli(),
                            p.firingKey(),
                            p.event().id().value(),
                            p.event().createdAt().toEpochMilli());
                    long seq = events.insert(c, p.event(), p.deliveries());
                    published.add(p.event().withSequence(seq));
                }
                out.add(new AppliedChange(after, published));
            }
            return out;
        });
    }

    private static void write(Connection c, boolean insert, WorkspaceState s, Instant at) throws SQLException {
        long now = at.toEpochMilli();
        Object[] values = {
            s.partnerId(),
            s.seatsPurchased(),
            s.seatsUsed(),
            s.limit(Quota.MESSAGING),
            s.used(Quota.MESSAGING),
            s.limit(Quota.TRANSACTIONS),
            s.used(Quota.TRANSACTIONS),
            s.limit(Quota.API_CALLS),
            s.used(Quota.API_CALLS),
            s.periodStart().toEpochMilli(),
            s.periodEnd().toEpochMilli()
        };
        if (insert) {
            List<Object> params = new ArrayList<>();
            params.add(s.workspaceId());
            params.addAll(List.of(values));
            params.add(now);
            params.add(now);
            Jdbc.update(
                    c,
                    "INSERT INTO workspaces (" + COLUMNS + ", created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    params.toArray());
        } else {
            List<Object> params = new ArrayList<>(List.of(values));
            params.add(now);
            params.add(s.workspaceId());
            Jdbc.update(
                    c,
                    "UPDATE workspaces SET partner_id = ?, seats_purchased = ?, seats_used = ?, messaging_quota = ?,"
                            + " messaging_used = ?, transactions_quota = ?, transactions_used = ?, api_calls_quota = ?,"
                            + " api_calls_used = ?, billing_period_start = ?, billing_period_end = ?, updated_at = ? WHERE id = ?",
                    params.toArray());
        }
    }

    private static Set<String> fired(Connection c, String workspaceId, Instant periodStart) throws SQLException {
        return new HashSet<>(Jdbc.query(
                c,
                "SELECT threshold_key FROM quota_firings WHERE workspace_id = ? AND period_start = ?",
                rs -> rs.getString(1),
                workspaceId,
                periodStart.toEpochMilli()));
    }

    @Override
    public Optional<WorkspaceState> find(PartnerId partner, WorkspaceId workspaceId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM workspaces WHERE partner_id = ? AND id = ?",
                JdbcWorkspaceStore::map,
                partner.value(),
                workspaceId.value());
    }

    @Override
    public Optional<WorkspaceState> findAny(WorkspaceId workspaceId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM workspaces WHERE id = ?", JdbcWorkspaceStore::map, workspaceId.value());
    }

    @Override
    public List<WorkspaceState> list(PartnerId partner, int limit, String afterId) {
        return afterId == null
                ? jdbc.query(
                        "SELECT " + COLUMNS + " FROM workspaces WHERE partner_id = ? ORDER BY id LIMIT ?",
                        JdbcWorkspaceStore::map,
                        partner.value(),
                        limit)
                : jdbc.query(
                        "SELECT " + COLUMNS + " FROM workspaces WHERE partner_id = ? AND id > ? ORDER BY id LIMIT ?",
                        JdbcWorkspaceStore::map,
                        partner.value(),
                        afterId,
                        limit);
    }

    @Override
    public Set<String> firedThisPeriod(PartnerId partner, WorkspaceId workspaceId) {
        return jdbc.withConnection(c -> {
            List<Long> start = Jdbc.query(
                    c,
                    "SELECT billing_period_start FROM workspaces WHERE partner_id = ? AND id = ?",
                    rs -> rs.getLong(1),
                    partner.value(),
                    workspaceId.value());
            return start.isEmpty() ? Set.of() : fired(c, workspaceId.value(), Instant.ofEpochMilli(start.get(0)));
        });
    }

    @Override
    public List<Threshold> thresholds(PartnerId partner) {
        return jdbc.query(
                "SELECT quota, percent FROM partner_thresholds WHERE partner_id = ? ORDER BY quota, percent",
                rs -> new Threshold(Quota.fromWire(rs.getString(1)).orElseThrow(), rs.getInt(2)),
                partner.value());
    }

    @Override
    public boolean addThreshold(PartnerId partner, Threshold t, Instant now) {
        try {
            return jdbc.update(
                            "INSERT INTO partner_thresholds (partner_id, quota, percent, created_at) VALUES (?, ?, ?, ?)",
                            partner.value(),
                            t.quota().wire(),
                            t.percent(),
                            now.toEpochMilli())
                    == 1;
        } catch (DataAccessException e) {
            if (dialect.isUniqueViolation(e.sqlException())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean removeThreshold(PartnerId partner, Threshold t) {
        return jdbc.update(
                        "DELETE FROM partner_thresholds WHERE partner_id = ? AND quota = ? AND percent = ?",
                        partner.value(),
                        t.quota().wire(),
                        t.percent())
                == 1;
    }

    static WorkspaceState map(ResultSet rs) throws SQLException {
        return new WorkspaceState(
                rs.getString("id"),
                rs.getString("partner_id"),
                rs.getLong("seats_purchased"),
                rs.getLong("seats_used"),
                Map.of(
                        Quota.MESSAGING,
                        rs.getLong("messaging_quota"),
                        Quota.TRANSACTIONS,
                        rs.getLong("transactions_quota"),
                        Quota.API_CALLS,
                        rs.getLong("api_calls_quota")),
                Map.of(
                        Quota.MESSAGING,
                        rs.getLong("messaging_used"),
                        Quota.TRANSACTIONS,
                        rs.getLong("transactions_used"),
                        Quota.API_CALLS,
                        rs.getLong("api_calls_used")),
                Instant.ofEpochMilli(rs.getLong("billing_period_start")),
                Instant.ofEpochMilli(rs.getLong("billing_period_end")));
    }
}
