package io.partnerhooks.core.error;

/** Unknown id, or an id that belongs to another partner (both answer 404, on purpose). */
public class NotFoundException extends RuntimeException {
    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
