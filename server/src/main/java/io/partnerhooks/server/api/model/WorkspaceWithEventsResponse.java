package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** The answer to setting a plan: the workspace and the events the change published. */
@ApiSchema("WorkspaceWithEvents")
public record WorkspaceWithEventsResponse(@JsonUnwrapped WorkspaceResponse workspace, List<FactEventRef> events) {}
