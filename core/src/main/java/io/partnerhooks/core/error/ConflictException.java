package io.partnerhooks.core.error;

/**
 * The request is well formed but would take something that is already another's (a Meta phone
 * number id held by another channel, a WABA id held by another partner): answered 409, naming the field.
 */
public class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
