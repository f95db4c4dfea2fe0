package io.partnerhooks.core.id;

/** A replay id; always starts with the prefix {@link Ids#REPLAY}. */
public record ReplayId(String value) {
    public ReplayId {
        Ids.require(value, Ids.REPLAY, "replay");
    }

    @Override
    public String toString() {
        return value;
    }
}
