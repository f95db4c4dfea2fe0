package io.partnerhooks.core.id;

/** A partner id; always starts with the prefix {@link Ids#PARTNER}. */
public record PartnerId(String value) {
    public PartnerId {
        Ids.require(value, Ids.PARTNER, "partner");
    }

    @Override
    public String toString() {
        return value;
    }
}
