package io.partnerhooks.server.api.model;

import io.partnerhooks.core.quota.AppliedChange;
import java.util.List;

/** What one usage report did: its workspace and the events it published. */
@ApiSchema("UsageResult")
public record UsageResultResponse(String workspaceId, List<FactEventRef> events) {
    public static UsageResultResponse of(AppliedChange a, List<FactEventRef> events) {
        return new UsageResultResponse(a.state().workspaceId(), events);
    }
}
