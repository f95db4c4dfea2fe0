package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.SubjectFilter;
import java.util.List;

/** A subject filter as answers show it: all three lists, or null (see {@link #of}) when there is none. */
@ApiSchema("SubjectFilter")
public record SubjectFilterView(List<String> workspaceIds, List<String> channelIds, List<String> phoneNumbers) {
    /** Null for the empty filter, which sends every subject. */
    public static SubjectFilterView of(SubjectFilter f) {
        if (f.isEmpty()) {
            return null;
        }
        return new SubjectFilterView(
                f.values(SubjectFilter.WORKSPACE_IDS),
                f.values(SubjectFilter.CHANNEL_IDS),
                f.values(SubjectFilter.PHONE_NUMBERS));
    }
}
