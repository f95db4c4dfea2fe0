package io.partnerhooks.core.domain;

import io.partnerhooks.core.quota.WorkspaceState;
import java.util.List;

/** What a change to a workspace left behind: the new state and the events it published. */
public record AppliedChange(WorkspaceState state, List<Event> published) {}
