package io.partnerhooks.core.id;

/** An attempt id; always starts with the prefix {@link Ids#ATTEMPT}. */
public record AttemptId(String value) {
    public AttemptId {
        Ids.require(value, Ids.ATTEMPT, "attempt");
    }

    @Override
    public String toString() {
        return value;
    }
}
