package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import io.partnerhooks.core.usecase.ManageWorkspaces.UsageReport;
import io.partnerhooks.core.usecase.RecordFacts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Workspaces: the platform reports plans, usage and WhatsApp accounts, partners read workspaces,
 * rotate their Public API tokens and set quota thresholds.
 */
public final class WorkspaceRoutes implements RouteGroup {
    private static final String[] PLAN_FIELDS = {
        "partner_id",
        "seats_purchased",
        "messaging_quota",
        "transactions_quota",
        "api_calls_quota",
        "billing_period_start",
        "billing_period_end"
    };
    private static final String[] USAGE_FIELDS = {
        "workspace_id",
        "seats_used",
        "messaging_used",
        "transactions_used",
        "api_calls_used",
        "messaging_increment",
        "transactions_increment",
        "api_calls_increment"
    };

    private final ManageWorkspaces workspaces;

    private final Consumer<String> published;

    private final AuditTrail audit;

    private final FactChanges facts;

    /** {@code published} hears the type of each event a report published (metrics). */
    public WorkspaceRoutes(
            ManageWorkspaces workspaces, RecordFacts facts, Consumer<String> published, AuditTrail audit) {
        this.audit = audit;
        this.workspaces = workspaces;
        this.published = published;
        this.facts = new FactChanges(facts, published, audit);
    }

    @Override
    public void register(Routes r) {
        r.operator()
                .put("/platform/v1/workspaces/{workspace_id}", this::setPlan)
                .post("/platform/v1/workspaces/{workspace_id}/usage", this::reportOne)
                .post("/platform/v1/usage", this::reportBatch)
                .post(
                        "/platform/v1/workspaces/{workspace_id}/whatsapp-accounts/{account_id}/connected",
                        ctx -> account(ctx, true))
                .post(
                        "/platform/v1/workspaces/{workspace_id}/whatsapp-accounts/{account_id}/disconnected",
                        ctx -> account(ctx, false));
        r.partner()
                .get("/v1/workspaces", this::list)
                .get("/v1/workspaces/{id}", this::get)
                .post("/v1/workspaces/{id}/api-token/rotate", this::rotateToken)
                .get("/v1/thresholds", this::listThresholds)
                .post("/v1/thresholds", this::addThreshold)
                .delete("/v1/thresholds", this::removeThreshold);
    }

    private void account(Context ctx, boolean connected) {
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        Json.onlyFields(body, "phone_number", "user_id", "reason");
        String ws = ctx.pathParam("workspace_id");
        String account = ctx.pathParam("account_id");
        RecordFacts.Recorded r = facts.audited(
                Actor.OPERATOR,
                connected ? "whatsapp_account.connect" : "whatsapp_account.disconnect",
                RecordFacts.ACCOUNT,
                ws + "/" + account,
                () -> facts.facts()
                        .whatsappAccount(
                                ws,
                                account,
                                connected,
                                Json.optionalString(body, "phone_number"),
                                Json.optionalString(body, "user_id"),
                                Json.optionalString(body, "reason")));
        facts.send(ctx, r, "whatsapp_account");
    }

    private void rotateToken(Context ctx) {
        var partner = Auth.partner(ctx).id();
        String ws = ctx.pathParam("id");
        RecordFacts.RotatedToken t = facts.audited(
                Actor.partner(partner),
                "workspace.api_token_rotate",
                RecordFacts.TOKEN,
                ws,
                () -> facts.facts().rotateApiToken(partner, ws));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("workspace_id", ctx.pathParam("id"));
        out.put("token", t.token());
        out.put("rotated_at", Times.format(t.rotatedAt()));
        out.set("events", facts.ids(t.events()));
        Json.send(ctx, 200, out);
    }

    private void setPlan(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, PLAN_FIELDS);
        String workspaceId = ctx.pathParam("workspace_id");
        var plan = new ManageWorkspaces.PlanRequest(
                Json.requiredString(body, "partner_id"),
                count(body, "seats_purchased"),
                count(body, "messaging_quota"),
                count(body, "transactions_quota"),
                count(body, "api_calls_quota"),
                Json.optionalTime(body, "billing_period_start"),
                Json.optionalTime(body, "billing_period_end"));
        AppliedChange a = audit.record(Actor.OPERATOR, "workspace.plan_set", "workspace", c -> {
            ObjectNode before = workspaces
                    .current(workspaceId)
                    .map(WorkspaceRoutes::auditView)
                    .orElse(null);
            AppliedChange applied = workspaces.setPlan(workspaceId, plan);
            ObjectNode after = auditView(applied.state());
            c.target(workspaceId)
                    .owner(applied.state().partnerId())
                    .before(before)
                    .after(after);
            if (after.equals(before)) {
                c.nothingChanged();
            }
            return applied;
        });
        ObjectNode out = view(a.state(), workspaces.firedThisPeriod(a.state()));
        out.set("events", eventIds(a.published()));
        Json.send(ctx, 200, out);
    }

    private void reportOne(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, USAGE_FIELDS);
        String id = ctx.pathParam("workspace_id");
        String inBody = Json.optionalString(body, "workspace_id");
        if (inBody != null && !inBody.equals(id)) {
            throw new InvalidInputException("workspace_id", "differs from the workspace in the path");
        }
        AppliedChange a = workspaces.report(List.of(usage(body, id, ""))).get(0);
        Json.send(ctx, 202, result(a));
    }

    private void reportBatch(Context ctx) {
        JsonNode root = Json.tree(ctx.bodyAsBytes());
        if (root == null || !root.isArray()) {
            throw new InvalidInputException("body", "must be a JSON array of usage reports");
        }
        List<UsageReport> reports = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String prefix = "[" + i + "].";
            if (!root.get(i).isObject()) {
                throw new InvalidInputException("[" + i + "]", "must be an object");
            }
            ObjectNode o = (ObjectNode) root.get(i);
            try {
                Json.onlyFields(o, USAGE_FIELDS);
                reports.add(usage(o, Json.requiredString(o, "workspace_id"), prefix));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.errors().stream()
                        .map(fe -> new InvalidInputException.FieldError(
                                fe.field().startsWith("[") ? fe.field() : prefix + fe.field(), fe.detail()))
                        .toList());
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (AppliedChange a : workspaces.report(reports)) {
            results.add(result(a));
        }
        Json.send(ctx, 202, out);
    }

    private static UsageReport usage(ObjectNode body, String workspaceId, String prefix) {
        Map<Quota, Long> used = new EnumMap<>(Quota.class);
        Map<Quota, Long> inc = new EnumMap<>(Quota.class);
        for (Quota q : Quota.values()) {
            Long u = optionalCount(body, q.wire() + "_used");
            if (u != null) {
                used.put(q, u);
            }
            Long i = optionalCount(body, q.wire() + "_increment");
            if (i != null) {
                inc.put(q, i);
            }
        }
        return new UsageReport(workspaceId, optionalCount(body, "seats_used"), used, inc);
    }

    private static long count(ObjectNode body, String field) {
        Long v = optionalCount(body, field);
        return v == null ? 0 : v;
    }

    private static Long optionalCount(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return n.longValue();
    }

    private ObjectNode result(AppliedChange a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("workspace_id", a.state().workspaceId());
        n.set("events", eventIds(a.published()));
        return n;
    }

    private ArrayNode eventIds(List<Event> events) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Event e : events) {
            published.accept(e.type());
            arr.addObject().put("id", e.id().value()).put("type", e.type());
        }
        return arr;
    }

    private void list(Context ctx) {
        int limit = Params.limit(ctx);
        String after = ctx.queryParam("after");
        List<WorkspaceState> page = workspaces.list(Auth.partner(ctx).id(), limit + 1, after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (WorkspaceState w : page.subList(0, Math.min(limit, page.size()))) {
            data.add(view(w, workspaces.firedThisPeriod(w)));
        }
        out.put("next_cursor", page.size() > limit ? page.get(limit - 1).workspaceId() : null);
        Json.send(ctx, 200, out);
    }

    private void get(Context ctx) {
        WorkspaceState w = workspaces.get(Auth.partner(ctx).id(), ctx.pathParam("id"));
        Json.send(ctx, 200, view(w, workspaces.firedThisPeriod(w)));
    }

    static ObjectNode view(WorkspaceState w, Set<String> fired) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("workspace_id", w.workspaceId());
        n.put("partner_id", w.partnerId());
        n.put("seats_purchased", w.seatsPurchased());
        n.put("seats_used", w.seatsUsed());
        ObjectNode quotas = n.putObject("quotas");
        for (Quota q : Quota.values()) {
            quotas.putObject(q.wire())
                    .put("limit", w.limit(q))
                    .put("used", w.used(q))
                    .put("utilization_pct", w.utilizationPct(q));
        }
        n.put("billing_period_start", Times.format(w.periodStart()));
        n.put("billing_period_end", Times.format(w.periodEnd()));
        ArrayNode f = n.putArray("fired_this_period");
        fired.stream().sorted().forEach(f::add);
        return n;
    }

    private void listThresholds(Context ctx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (Threshold t : workspaces.thresholds(Auth.partner(ctx).id())) {
            data.addObject().put("quota", t.quota().wire()).put("percent", t.percent());
        }
        Json.send(ctx, 200, out);
    }

    private void addThreshold(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "quota", "percent");
        Threshold t = ManageWorkspaces.threshold(Json.optionalString(body, "quota"), Json.optionalInt(body, "percent"));
        var partner = Auth.partner(ctx).id();
        boolean created = audit.record(Actor.partner(partner), "threshold.create", "threshold", c -> {
            boolean added = workspaces.addThreshold(partner, t);
            c.target(t.quota().wire() + ":" + t.percent()).after(threshold(t));
            if (!added) {
                c.nothingChanged();
            }
            return added;
        });
        Json.send(
                ctx,
                created ? 201 : 200,
                Json.MAPPER.createObjectNode().put("quota", t.quota().wire()).put("percent", t.percent()));
    }

    private void removeThreshold(Context ctx) {
        // DELETE /v1/thresholds?quota=messaging&percent=75 (a body is accepted too)
        String quota = ctx.queryParam("quota");
        String percentRaw = ctx.queryParam("percent");
        Integer percent = null;
        if (quota == null && ctx.bodyAsBytes().length > 0) {
            ObjectNode body = Json.object(ctx);
            Json.onlyFields(body, "quota", "percent");
            quota = Json.optionalString(body, "quota");
            percent = Json.optionalInt(body, "percent");
        } else if (percentRaw != null) {
            try {
                percent = Integer.parseInt(percentRaw);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("percent", "must be a whole number from 1 to 100");
            }
        }
        var partner = Auth.partner(ctx).id();
        Threshold t = ManageWorkspaces.threshold(quota, percent);
        audit.record(Actor.partner(partner), "threshold.delete", "threshold", c -> {
            c.target(t.quota().wire() + ":" + t.percent()).before(threshold(t));
            workspaces.removeThreshold(partner, t);
            return null;
        });
        ctx.status(204);
    }

    private static ObjectNode threshold(Threshold t) {
        return Json.MAPPER.createObjectNode().put("quota", t.quota().wire()).put("percent", t.percent());
    }

    private static ObjectNode auditView(WorkspaceState w) {
        ObjectNode n = view(w, Set.of());
        n.remove("fired_this_period");
        return n;
    }
}
