package io.partnerhooks.sdk.client;

import java.util.List;
import java.util.Optional;

/** One page of a list, newest first; pass {@link #nextCursor()} as {@code after} for the next one. */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = List.copyOf(data);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }

    public boolean isLast() {
        return nextCursor == null;
    }
}
