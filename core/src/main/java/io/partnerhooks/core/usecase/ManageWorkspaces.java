package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.core.port.WorkspaceStore.Change;
import io.partnerhooks.core.port.WorkspaceStore.Publication;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Workspace plans, usage reports and partner thresholds. Every change runs the quota rules in the
 * same transaction, and the events they call for are written with it.
 */
public final class ManageWorkspaces {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_BATCH = 1000;
    /**
     * The largest counter a workspace holds: each quota, seat count and used counter, and what an
     * increment may bring a counter to (10^15). Far above any real plan, and small enough that
     * the quota rules' {@code used × 100} cannot overflow a long.
     */
    public static final long MAX_COUNTER = 1_000_000_000_000_000L;
    /** The largest single increment one report may carry (10^12). */
    public static final long MAX_INCREMENT = 1_000_000_000_000L;

    /** A plan as the platform sets it. */
    public record PlanRequest(
            String partnerId,
            long seatsPurchased,
            long messagingQuota,
            long transactionsQuota,
            long apiCallsQuota,
            Instant periodStart,
            Instant periodEnd) {}

    /** A usage report: absolute counters and/or increments (null = not reported). */
    public record UsageReport(String workspaceId, Long seatsUsed, Map<Quota, Long> used, Map<Quota, Long> increments) {}

    private final WorkspaceStore workspaces;
    private final PartnerStore partners;
    private final EndpointStore endpoints;
    private final Emitter emitter;
    private final Clock clock;
    private final Runnable wake;

    public ManageWorkspaces(
            WorkspaceStore workspaces,
            PartnerStore partners,
            EndpointStore endpoints,
            IdGenerator ids,
            Clock clock,
            Runnable wake) {
        this.workspaces = workspaces;
        this.partners = partners;
        this.endpoints = endpoints;
        this.emitter = new Emitter(ids);
        this.clock = clock;
        this.wake = wake;
    }

    public static void checkWorkspaceId(String id, String field) {
        if (!Ids.isExternal(id)) {
            throw new InvalidInputException(
                    field, "must be 1 to 128 letters, digits or _ . : - (starting with a letter or digit)");
        }
    }

    /** The workspace id in {@code text}, or a 400 naming {@code field}. */
    static WorkspaceId workspaceId(String text, String field) {
        checkWorkspaceId(text, field);
        return new WorkspaceId(text);
    }

    public AppliedChange setPlan(String workspaceId, PlanRequest r) {
        WorkspaceId id = workspaceId(workspaceId, "workspace_id");
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        PartnerId partner = null;
        if (r.partnerId() == null || !Ids.looksLike(r.partnerId(), Ids.PARTNER)) {
            errors.add(new InvalidInputException.FieldError("partner_id", "is required: a partner id (ptn_...)"));
        } else {
            partner = new PartnerId(r.partnerId());
            if (partners.find(partner).isEmpty()) {
                errors.add(new InvalidInputException.FieldError("partner_id", "no such partner"));
            }
        }
        counter(errors, "seats_purchased", r.seatsPurchased(), MAX_COUNTER);
        counter(errors, "messaging_quota", r.messagingQuota(), MAX_COUNTER);
        counter(errors, "transactions_quota", r.transactionsQuota(), MAX_COUNTER);
        counter(errors, "api_calls_quota", r.apiCallsQuota(), MAX_COUNTER);
        if (r.periodStart() == null) {
            errors.add(new InvalidInputException.FieldError("billing_period_start", "is required (RFC 3339 time)"));
        }
        if (r.periodEnd() == null) {
            errors.add(new InvalidInputException.FieldError("billing_period_end", "is required (RFC 3339 time)"));
        } else if (r.periodStart() != null && !r.periodEnd().isAfter(r.periodStart())) {
            errors.add(
                    new InvalidInputException.FieldError("billing_period_end", "must be after billing_period_start"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        PartnerId owner = partner;
        Instant start = Times.millis(r.periodStart());
        Instant end = Times.millis(r.periodEnd());
        Change change = new Change(id, before -> {
            if (before != null && !before.partnerId().equals(owner.value())) {
                throw new InvalidInputException(
                        "partner_id", "workspace " + workspaceId + " belongs to another partner");
            }
            boolean samePeriod = before != null && before.periodStart().equals(start);
            // A new billing period starts counting from zero (seats are not a per-period count).
            Map<Quota, Long> used = samePeriod ? before.used() : Map.of();
            long seatsUsed = before == null ? 0 : before.seatsUsed();
            return new WorkspaceState(
                    workspaceId,
                    owner.value(),
                    r.seatsPurchased(),
                    seatsUsed,
                    Map.of(
                            Quota.MESSAGING,
                            r.messagingQuota(),
                            Quota.TRANSACTIONS,
                            r.transactionsQuota(),
                            Quota.API_CALLS,
                            r.apiCallsQuota()),
                    used,
                    start,
                    end);
        });
        return run(List.of(change), Set.of(owner)).get(0);
    }

    public List<AppliedChange> report(List<UsageReport> reports) {
        if (reports.isEmpty()) {
            throw new InvalidInputException("body", "must hold at least one report");
        }
        if (reports.size() > MAX_BATCH) {
            throw new InvalidInputException("body", "must hold at most " + MAX_BATCH + " reports");
        }
        Map<String, UsageReport> byWorkspace = new LinkedHashMap<>();
        Map<String, String> prefixes = new HashMap<>();
        Set<PartnerId> owners = new HashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            UsageReport r = reports.get(i);
            String prefix = reports.size() == 1 ? "" : "[" + i + "].";
            WorkspaceId id = workspaceId(r.workspaceId(), prefix + "workspace_id");
            validate(r, prefix);
            if (byWorkspace.putIfAbsent(r.workspaceId(), r) != null) {
                throw new InvalidInputException(prefix + "workspace_id", "appears twice in one batch");
            }
            prefixes.put(r.workspaceId(), prefix);
            WorkspaceState known = workspaces
                    .findAny(id)
                    .orElseThrow(() -> new NotFoundException(
                            "workspace_id",
                            "no workspace " + r.workspaceId()
                                    + " (set its plan first with PUT /platform/v1/workspaces/{workspace_id})"));
            owners.add(new PartnerId(known.partnerId()));
        }
        List<Change> changes = new ArrayList<>();
        for (UsageReport r : byWorkspace.values()) {
            changes.add(new Change(new WorkspaceId(r.workspaceId()), before -> {
                if (before == null) {
                    throw new NotFoundException("workspace_id", "no workspace " + r.workspaceId());
                }
                Map<Quota, Long> used = new EnumMap<>(Quota.class);
                used.putAll(before.used());
                List<InvalidInputException.FieldError> over = new ArrayList<>();
                for (Quota q : Quota.values()) {
                    if (r.used().containsKey(q)) {
                        used.put(q, r.used().get(q));
                    }
                    if (r.increments().containsKey(q)) {
                        // both terms are bounded (10^15 and 10^12), so the sum cannot overflow
                        long sum = used.getOrDefault(q, 0L) + r.increments().get(q);
                        if (sum > MAX_COUNTER) {
                            over.add(new InvalidInputException.FieldError(
                                    prefixes.get(r.workspaceId()) + q.wire() + "_increment",
                                    "would bring " + q.wire() + " used to " + sum + "; at most " + MAX_COUNTER));
                        }
                        used.put(q, sum);
                    }
                }
                if (!over.isEmpty()) {
                    // thrown inside the transaction: nothing of the report (or its batch) is written
                    throw new InvalidInputException(over);
                }
                long seats = r.seatsUsed() != null ? r.seatsUsed() : before.seatsUsed();
                return new WorkspaceState(
                        before.workspaceId(),
                        before.partnerId(),
                        before.seatsPurchased(),
                        seats,
                        before.limits(),
                        used,
                        before.periodStart(),
                        before.periodEnd());
            }));
        }
        return run(changes, owners);
    }

    private static void validate(UsageReport r, String prefix) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        if (r.seatsUsed() != null) {
            counter(errors, prefix + "seats_used", r.seatsUsed(), MAX_COUNTER);
        }
        for (Quota q : Quota.values()) {
            if (r.used().containsKey(q)) {
                counter(errors, prefix + q.wire() + "_used", r.used().get(q), MAX_COUNTER);
                if (r.increments().containsKey(q)) {
                    errors.add(new InvalidInputException.FieldError(
                            prefix + q.wire() + "_increment",
                            "give either " + q.wire() + "_used or " + q.wire() + "_increment, not both"));
                }
            }
            if (r.increments().containsKey(q)) {
                counter(errors, prefix + q.wire() + "_increment", r.increments().get(q), MAX_INCREMENT);
            }
        }
        if (r.seatsUsed() == null && r.used().isEmpty() && r.increments().isEmpty()) {
            errors.add(new InvalidInputException.FieldError(prefix + "body", "reports no counter"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static void counter(List<InvalidInputException.FieldError> errors, String field, long v, long max) {
        if (v < 0) {
            errors.add(new InvalidInputException.FieldError(field, "must not be negative"));
        } else if (v > max) {
            errors.add(new InvalidInputException.FieldError(field, "must be at most " + max));
        }
    }

    private List<AppliedChange> run(List<Change> changes, Set<PartnerId> owners) {
        Map<String, List<Threshold>> thresholds = new HashMap<>();
        Map<String, List<Endpoint>> subscribers = new HashMap<>();
        for (PartnerId p : owners) {
            thresholds.put(p.value(), workspaces.thresholds(p));
            subscribers.put(p.value(), endpoints.listEnabled(p));
        }
        Instant now = Times.millis(clock.instant());
        List<AppliedChange> applied = workspaces.apply(
                changes,
                (after, fired) -> {
                    QuotaRules.Evaluation ev =
                            QuotaRules.evaluate(after, fired, thresholds.getOrDefault(after.partnerId(), List.of()));
                    List<Publication> publish = new ArrayList<>();
                    for (QuotaRules.Firing f : ev.fire()) {
                        Emitter.Emitted e = emitter.emit(
                                new PartnerId(after.partnerId()),
                                f.type(),
                                subjectJson(after.workspaceId()),
                                "workspace_id:" + after.workspaceId(),
                                json(f.data()),
                                now,
                                null,
                                subscribers.getOrDefault(after.partnerId(), List.of()));
                        publish.add(new Publication(f.key(), e.event(), e.deliveries()));
                    }
                    return new WorkspaceStore.Plan(publish, ev.rearm());
                },
                now);
        if (applied.stream().anyMatch(a -> !a.published().isEmpty())) {
            wake.run();
        }
        return applied;
    }

    /** Whoever owns it (for the platform side and the audit trail); empty for text that is no workspace id. */
    public Optional<WorkspaceState> current(String workspaceId) {
        return WorkspaceId.parse(workspaceId).flatMap(workspaces::findAny);
    }

    public Optional<WorkspaceState> find(PartnerId partner, String workspaceId) {
        return WorkspaceId.parse(workspaceId).flatMap(id -> workspaces.find(partner, id));
    }

    public WorkspaceState get(PartnerId partner, String workspaceId) {
        return find(partner, workspaceId).orElseThrow(() -> new NotFoundException("id", "no workspace " + workspaceId));
    }

    /** Threshold keys that fired in the workspace's current period. */
    public Set<String> firedThisPeriod(WorkspaceState w) {
        return workspaces.firedThisPeriod(new PartnerId(w.partnerId()), new WorkspaceId(w.workspaceId()));
    }

    public List<WorkspaceState> list(PartnerId partner, int limit, String after) {
        return workspaces.list(partner, limit, after);
    }

    public List<Threshold> thresholds(PartnerId partner) {
        return workspaces.thresholds(partner);
    }

    public static Threshold threshold(String quota, Integer percent) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        Optional<Quota> q = quota == null ? Optional.empty() : Quota.fromWire(quota);
        if (q.isEmpty()) {
            errors.add(
                    new InvalidInputException.FieldError("quota", "must be one of messaging, transactions, api_calls"));
        }
        if (percent == null || percent < 1 || percent > 100) {
            errors.add(new InvalidInputException.FieldError("percent", "must be a whole number from 1 to 100"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Threshold(q.get(), percent);
    }

    /** Adds a partner threshold; false when it existed already. */
    public boolean addThreshold(PartnerId partner, Threshold t) {
        return workspaces.addThreshold(partner, t, clock.instant());
    }

    public void removeThreshold(PartnerId partner, Threshold t) {
        if (!workspaces.removeThreshold(partner, t)) {
            throw new NotFoundException("quota", "no " + t.quota().wire() + " threshold at " + t.percent() + " %");
        }
    }

    private static String subjectJson(String workspaceId) {
        return json(Map.of("workspace_id", workspaceId));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
