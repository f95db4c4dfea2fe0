package io.partnerhooks.core.id;

/** An event id; always starts with the prefix {@link Ids#EVENT}. */
public record EventId(String value) {
    public EventId {
        Ids.require(value, Ids.EVENT, "event");
    }

    @Override
    public String toString() {
        return value;
    }
}
