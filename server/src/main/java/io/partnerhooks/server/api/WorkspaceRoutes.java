package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.quota.WorkspaceState;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import io.partnerhooks.core.usecase.ManageWorkspaces.UsageReport;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.server.api.model.AccountFactRequest;
import io.partnerhooks.server.api.model.AccountFactResponse;
import io.partnerhooks.server.api.model.ThresholdListResponse;
import io.partnerhooks.server.api.model.ThresholdRequest;
import io.partnerhooks.server.api.model.ThresholdResponse;
import io.partnerhooks.server.api.model.UsageBatchResponse;
import io.partnerhooks.server.api.model.UsageReportRequest;
import io.partnerhooks.server.api.model.UsageResultResponse;
import io.partnerhooks.server.api.model.WorkspaceListResponse;
import io.partnerhooks.server.api.model.WorkspacePlanRequest;
import io.partnerhooks.server.api.model.WorkspaceResponse;
import io.partnerhooks.server.api.model.WorkspaceTokenResponse;
import io.partnerhooks.server.api.model.WorkspaceWithEventsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Workspaces: the platform reports plans, usage and WhatsApp accounts, partners read workspaces,
 * rotate their Public API tokens and set quota thresholds.
 */
public final class WorkspaceRoutes implements RouteGroup {
    private final ManageWorkspaces workspaces;

    private final AuditTrail audit;

    private final FactChanges facts;

    /** {@code published} hears the type of each event a report published (metrics). */
    public WorkspaceRoutes(
            ManageWorkspaces workspaces, RecordFacts facts, Consumer<String> published, AuditTrail audit) {
        this.audit = audit;
        this.workspaces = workspaces;
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
        AccountFactRequest body = Bodies.readOrEmpty(ctx, AccountFactRequest.class);
        String ws = ctx.pathParam("workspace_id");
        String account = ctx.pathParam("account_id");
        RecordFacts.Recorded r = facts.audited(
                Actor.OPERATOR,
                connected ? "whatsapp_account.connect" : "whatsapp_account.disconnect",
                RecordFacts.ACCOUNT,
                ws + "/" + account,
                () -> facts.facts()
                        .whatsappAccount(ws, account, connected, body.phoneNumber(), body.userId(), body.reason()));
        Json.send(ctx, 200, new AccountFactResponse(r.state(), facts.events(r.events())));
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
        Json.send(ctx, 200, new WorkspaceTokenResponse(ws, t.token(), t.rotatedAt(), facts.events(t.events())));
    }

    private void setPlan(Context ctx) {
        WorkspacePlanRequest body = Bodies.read(ctx, WorkspacePlanRequest.class);
        String workspaceId = ctx.pathParam("workspace_id");
        var plan = body.plan();
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
        Json.send(
                ctx,
                200,
                new WorkspaceWithEventsResponse(
                        WorkspaceResponse.of(a.state(), workspaces.firedThisPeriod(a.state())),
                        facts.events(a.published())));
    }

    private void reportOne(Context ctx) {
        UsageReportRequest body = Bodies.read(ctx, UsageReportRequest.class);
        String id = ctx.pathParam("workspace_id");
        if (body.workspaceId() != null && !body.workspaceId().equals(id)) {
            throw new InvalidInputException("workspace_id", "differs from the workspace in the path");
        }
        AppliedChange a = workspaces.report(List.of(body.report(id))).get(0);
        Json.send(ctx, 202, UsageResultResponse.of(a, facts.events(a.published())));
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
            try {
                UsageReportRequest item = Bodies.bind((ObjectNode) root.get(i), UsageReportRequest.class);
                if (item.workspaceId() == null) {
                    throw new InvalidInputException("workspace_id", "is required");
                }
                reports.add(item.report(item.workspaceId()));
            } catch (InvalidInputException e) {
                // each mistake is named under its report: [2].messaging_used
                throw new InvalidInputException(e.errors().stream()
                        .map(fe -> new InvalidInputException.FieldError(
                                fe.field().startsWith("[") ? fe.field() : prefix + fe.field(), fe.detail()))
                        .toList());
            }
        }
        List<UsageResultResponse> results = new ArrayList<>();
        for (AppliedChange a : workspaces.report(reports)) {
            results.add(UsageResultResponse.of(a, facts.events(a.published())));
        }
        Json.send(ctx, 202, new UsageBatchResponse(results));
    }

    private void list(Context ctx) {
        int limit = Params.limit(ctx);
        String after = ctx.queryParam("after");
        List<WorkspaceState> page = workspaces.list(Auth.partner(ctx).id(), limit + 1, after);
        var data = page.subList(0, Math.min(limit, page.size())).stream()
                .map(w -> WorkspaceResponse.of(w, workspaces.firedThisPeriod(w)))
                .toList();
        String next = page.size() > limit ? page.get(limit - 1).workspaceId() : null;
        Json.send(ctx, 200, new WorkspaceListResponse(data, next));
    }

    private void get(Context ctx) {
        WorkspaceState w = workspaces.get(Auth.partner(ctx).id(), ctx.pathParam("id"));
        Json.send(ctx, 200, WorkspaceResponse.of(w, workspaces.firedThisPeriod(w)));
    }

    private void listThresholds(Context ctx) {
        var data = workspaces.thresholds(Auth.partner(ctx).id()).stream()
                .map(ThresholdResponse::of)
                .toList();
        Json.send(ctx, 200, new ThresholdListResponse(data));
    }

    private void addThreshold(Context ctx) {
        ThresholdRequest body = Bodies.read(ctx, ThresholdRequest.class);
        Threshold t = ManageWorkspaces.threshold(body.quota(), body.percent());
        var partner = Auth.partner(ctx).id();
        boolean created = audit.record(Actor.partner(partner), "threshold.create", "threshold", c -> {
            boolean added = workspaces.addThreshold(partner, t);
            c.target(t.quota().wire() + ":" + t.percent()).after(Bodies.RECORDS.valueToTree(ThresholdResponse.of(t)));
            if (!added) {
                c.nothingChanged();
            }
            return added;
        });
        Json.send(ctx, created ? 201 : 200, ThresholdResponse.of(t));
    }

    private void removeThreshold(Context ctx) {
        // DELETE /v1/thresholds?quota=messaging&percent=75 (a body is accepted too)
        String quota = ctx.queryParam("quota");
        String percentRaw = ctx.queryParam("percent");
        Integer percent = null;
        if (quota == null && ctx.bodyAsBytes().length > 0) {
            ThresholdRequest body = Bodies.read(ctx, ThresholdRequest.class);
            quota = body.quota();
            percent = body.percent();
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
            c.target(t.quota().wire() + ":" + t.percent()).before(Bodies.RECORDS.valueToTree(ThresholdResponse.of(t)));
            workspaces.removeThreshold(partner, t);
            return null;
        });
        ctx.status(204);
    }

    /** The workspace as its audit rows record it: the answer's fields without {@code fired_this_period}. */
    private static ObjectNode auditView(WorkspaceState w) {
        ObjectNode n = Bodies.RECORDS.valueToTree(WorkspaceResponse.of(w, Set.of()));
        n.remove("fired_this_period");
        return n;
    }
}
