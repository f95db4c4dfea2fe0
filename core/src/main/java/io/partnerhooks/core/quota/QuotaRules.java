package io.partnerhooks.core.quota;

import io.partnerhooks.core.domain.Times;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which threshold events a workspace's state calls for. Pure: (state, what already fired this
 * period, the partner's own thresholds) in, (what to fire, what to re-arm) out.
 *
 * <p>Level-triggered on purpose: a threshold fires when it is reached and has not fired in this
 * billing period, and re-arms when usage is below it again (a raised quota, a freed seat, a
 * corrected counter). A jump from 50 % to 100 % therefore fires 90 % and 100 % together, and
 * a new period (part of the key the database keeps) re-arms everything. The database makes
 * "at most once" hold across nodes: a firing is recorded under a unique key before its event.
 */
public final class QuotaRules {
    public static final String SEATS_KEY = "seats.exhausted";

    /** A partner-set threshold: {@code quota} at {@code percent} (1..100). */
    public record Threshold(Quota quota, int percent) {
        public String key() {
            return "custom." + quota.wire() + "." + percent;
        }
    }

    /** One event to emit; {@code key} identifies the threshold within the period. */
    public record Firing(String key, String type, Map<String, Object> data) {}

    public record Evaluation(List<Firing> fire, Set<String> rearm) {}

    private QuotaRules() {}

    public static Evaluation evaluate(WorkspaceState s, Set<String> fired, List<Threshold> custom) {
        List<Firing> fire = new ArrayList<>();
        Set<String> rearm = new TreeSet<>();

        boolean seatsFull = s.seatsPurchased() > 0 && s.seatsUsed() >= s.seatsPurchased();
        decide(SEATS_KEY, seatsFull, fired, rearm, fire, () -> {
            Map<String, Object> d = base(s);
            d.put("seats_purchased", s.seatsPurchased());
            d.put("seats_used", s.seatsUsed());
            return new Firing(SEATS_KEY, "workspace.seats.exhausted", d);
        });
        builtIn(s, Quota.MESSAGING, 90, "workspace.quota.messaging.near_limit", fired, rearm, fire);
        builtIn(s, Quota.MESSAGING, 100, "workspace.quota.messaging.exhausted", fired, rearm, fire);
        builtIn(s, Quota.TRANSACTIONS, 100, "workspace.quota.transactions.exhausted", fired, rearm, fire);
        builtIn(s, Quota.API_CALLS, 100, "workspace.quota.api_calls.exhausted", fired, rearm, fire);
        for (Threshold t : custom) {
            decide(t.key(), s.reached(t.quota(), t.percent()), fired, rearm, fire, () -> {
                Map<String, Object> d = quotaData(s, t.quota(), t.percent());
                d.put("quota", t.quota().wire());
                d.put("percent", t.percent());
                return new Firing(t.key(), "workspace.quota.threshold_reached", d);
            });
        }
        return new Evaluation(List.copyOf(fire), Set.copyOf(rearm));
    }

    public static String builtInKey(Quota q, int percent) {
        return q.wire() + "." + percent;
    }

    private static void builtIn(
            WorkspaceState s,
            Quota q,
            int percent,
            String type,
            Set<String> fired,
            Set<String> rearm,
            List<Firing> fire) {
        String key = builtInKey(q, percent);
        decide(key, s.reached(q, percent), fired, rearm, fire, () -> {
            Map<String, Object> d = quotaData(s, q, percent);
            d.put("quota", q.wire());
            return new Firing(key, type, d);
        });
    }

    private static void decide(
            String key,
            boolean reached,
            Set<String> fired,
            Set<String> rearm,
            List<Firing> fire,
            Supplier<Firing> firing) {
        if (reached && !fired.contains(key)) {
            fire.add(firing.get());
        } else if (!reached && fired.contains(key)) {
            rearm.add(key);
        }
    }

    private static Map<String, Object> quotaData(WorkspaceState s, Quota q, int threshold) {
        Map<String, Object> d = base(s);
        d.put("quota_limit", s.limit(q));
        d.put("quota_used", s.used(q));
        d.put("utilization_pct", s.utilizationPct(q));
        d.put("threshold", threshold);
        return d;
    }

    private static Map<String, Object> base(WorkspaceState s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("workspace_id", s.workspaceId());
        d.put("billing_period_start", Times.format(s.periodStart()));
        d.put("billing_period_end", Times.format(s.periodEnd()));
        return d;
    }
}
