package io.partnerhooks.server.api.model;

import java.util.List;

/** A page of a partner's workspaces; {@code next_cursor} is null on the last page. */
@ApiSchema("listWorkspaces 200")
public record WorkspaceListResponse(List<WorkspaceResponse> data, String nextCursor) {}
