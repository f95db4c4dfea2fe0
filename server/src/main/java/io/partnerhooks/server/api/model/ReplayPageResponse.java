package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Replay;
import java.util.List;

/** A page of the partner's replays, newest first; {@code next_cursor} is null on the last page. */
@ApiSchema("listReplays 200")
public record ReplayPageResponse(List<ReplayResponse> data, String nextCursor) {
    public static ReplayPageResponse of(Page<Replay> page) {
        return new ReplayPageResponse(
                page.items().stream().map(ReplayResponse::of).toList(), page.nextCursor());
    }
}
