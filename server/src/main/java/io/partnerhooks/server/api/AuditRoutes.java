package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.server.api.model.AuditEntryResponse;
import io.partnerhooks.server.api.model.AuditPageResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reading the audit log: a partner reads the entries about its own resources ({@code /v1/audit-log}),
 * the operator reads everyone's ({@code /platform/v1/audit-log}). Newest first, cursor pagination.
 */
public final class AuditRoutes implements RouteGroup {
    private final AuditTrail audit;

    public AuditRoutes(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void register(Routes r) {
        r.partner().get("/v1/audit-log", this::partnerLog);
        r.operator().get("/platform/v1/audit-log", this::operatorLog);
    }

    private void partnerLog(Context ctx) {
        send(ctx, audit.list(Auth.partner(ctx).id(), filter(ctx), Params.limit(ctx), cursor(ctx)));
    }

    private void operatorLog(Context ctx) {
        String partner = ctx.queryParam("partner_id");
        if (partner != null && !Ids.looksLike(partner, Ids.PARTNER)) {
            throw new InvalidInputException("partner_id", "must be a partner id (ptn_...)");
        }
        AuditFilter f = filter(ctx);
        int limit = Params.limit(ctx);
        String after = cursor(ctx);
        send(
                ctx,
                partner == null ? audit.listAll(f, limit, after) : audit.list(new PartnerId(partner), f, limit, after));
    }

    private static AuditFilter filter(Context ctx) {
        String action = ctx.queryParam("action");
        if (action != null && !action.matches("[a-z_]{1,50}\\.[a-z_]{1,50}")) {
            throw new InvalidInputException("action", "must be an action such as endpoint.update");
        }
        Instant since = time(ctx, "since");
        Instant until = time(ctx, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("until", "must be later than since");
        }
        return new AuditFilter(action, since, until);
    }

    private static String cursor(Context ctx) {
        String after = ctx.queryParam("after");
        if (after != null && !after.matches("[0-9]{1,18}")) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        return after;
    }

    private static Instant time(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
    }

    private static void send(Context ctx, Page<AuditEntry> page) {
        var data = page.items().stream()
                .map(e -> AuditEntryResponse.of(e, Json::parse))
                .toList();
        Json.send(ctx, 200, new AuditPageResponse(data, page.nextCursor()));
    }
}
