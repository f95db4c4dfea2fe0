package io.partnerhooks.core.error;

/** What was asked for existed once but is no longer kept (410); {@code oldest} says where to start again. */
public class GoneException extends RuntimeException {
    private final String field;
    private final String oldest;

    public GoneException(String field, String detail, String oldest) {
        super(detail);
        this.field = field;
        this.oldest = oldest;
    }

    public String field() {
        return field;
    }

    /** The oldest value still available (e.g. a cursor), or null when there is nothing left. */
    public String oldest() {
        return oldest;
    }
}
