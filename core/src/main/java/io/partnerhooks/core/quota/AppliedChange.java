package io.partnerhooks.core.quota;

import io.partnerhooks.core.domain.Event;
import java.util.List;

/** What a change to a workspace left behind: the new state and the events it published. */
public record AppliedChange(WorkspaceState state, List<Event> published) {}
