package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.domain.AuditEntry;
import java.time.Instant;
import java.util.function.Function;

/**
 * One audit entry: who did what to which target, with the target's stored state before and after
 * (secrets already masked; null before a create and after a delete).
 */
@ApiSchema("AuditEntry")
public record AuditEntryResponse(
        String id,
        Instant createdAt,
        AuditActor actor,
        String partnerId,
        String action,
        AuditTarget target,
        JsonNode before,
        JsonNode after) {
    /** {@code parse} reads the stored JSON text of the states. */
    public static AuditEntryResponse of(AuditEntry e, Function<String, JsonNode> parse) {
        return new AuditEntryResponse(
                e.id(),
                e.createdAt(),
                new AuditActor(e.actorType(), e.actorId()),
                e.partnerId(),
                e.action(),
                new AuditTarget(e.targetType(), e.targetId()),
                e.beforeJson() == null ? null : parse.apply(e.beforeJson()),
                e.afterJson() == null ? null : parse.apply(e.afterJson()));
    }
}
