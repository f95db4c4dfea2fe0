package io.partnerhooks.core.id;

/** A endpoint id; always starts with the prefix {@link Ids#ENDPOINT}. */
public record EndpointId(String value) {
    public EndpointId {
        Ids.require(value, Ids.ENDPOINT, "endpoint");
    }

    @Override
    public String toString() {
        return value;
    }
}
