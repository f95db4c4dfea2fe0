package io.partnerhooks.server.api.model;

import java.time.Instant;
import java.util.List;

/** A workspace's new Public API token (shown only here) and the events the rotation published. */
@ApiSchema("rotateWorkspaceApiToken 200")
public record WorkspaceTokenResponse(String workspaceId, String token, Instant rotatedAt, List<FactEventRef> events) {}
