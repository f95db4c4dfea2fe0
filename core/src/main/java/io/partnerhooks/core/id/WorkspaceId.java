package io.partnerhooks.core.id;

import java.util.Optional;

/**
 * A workspace id, as the platform chose it: no prefix, always of the shape {@link Ids#EXTERNAL}.
 * Raw text from a request goes through the use case that validates it (naming the field); from
 * there on the id travels as this type.
 */
public record WorkspaceId(String value) {
    public WorkspaceId {
        Ids.requireExternal(value, "workspace");
    }

    /** The id when the text has its shape; empty otherwise (no such workspace can exist). */
    public static Optional<WorkspaceId> parse(String text) {
        return Ids.isExternal(text) ? Optional.of(new WorkspaceId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
