package io.partnerhooks.server.api.model;

/**
 * A request field whose JSON null means something (clear the setting), unlike its absence (leave
 * it alone). The record component is null when the field is absent, {@code Explicit(null)} when it
 * is null, and {@code Explicit(v)} when it carries a value.
 */
public record Explicit<T>(T value) {
    public boolean cleared() {
        return value == null;
    }
}
