package io.partnerhooks.core.error;

import java.util.List;

/** Input that a caller can fix; maps to 400 (or 422) with one entry per offending field. */
public class InvalidInputException extends RuntimeException {
    public record FieldError(String field, String detail) {}

    private final List<FieldError> errors;

    public InvalidInputException(String field, String detail) {
        this(List.of(new FieldError(field, detail)));
    }

    public InvalidInputException(List<FieldError> errors) {
        super(
                errors.isEmpty()
                        ? "invalid input"
                        : errors.get(0).field() + ": " + errors.get(0).detail());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
