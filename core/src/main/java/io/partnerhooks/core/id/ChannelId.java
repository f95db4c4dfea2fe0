package io.partnerhooks.core.id;

import java.util.Optional;

/**
 * A channel id, as the platform chose it: no prefix, always of the shape {@link Ids#EXTERNAL}.
 * Raw text from a request goes through the use case that validates it (naming the field); from
 * there on the id travels as this type.
 */
public record ChannelId(String value) {
    public ChannelId {
        Ids.requireExternal(value, "channel");
    }

    /** The id when the text has its shape; empty otherwise (no such channel can exist). */
    public static Optional<ChannelId> parse(String text) {
        return Ids.isExternal(text) ? Optional.of(new ChannelId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
