package io.partnerhooks.core.domain;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Event type names and the patterns endpoints subscribe with: an exact type, {@code prefix.*}
 * (everything under that prefix, at any depth), or {@code *} (everything).
 */
public final class EventTypeFilter {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    // "*", "word(.word)*.*", or an exact type (which, like every type, has at least one dot)
    private static final Pattern PATTERN =
            Pattern.compile("\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    public static final int MAX_LENGTH = 128;

    private EventTypeFilter() {}

    public static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    public static boolean matchesAny(List<String> patterns, String type) {
        for (String p : patterns) {
            if (matches(p, type)) {
                return true;
            }
        }
        return false;
    }

    /** Empty when valid; otherwise what is wrong with it. */
    public static Optional<String> checkType(String type) {
        if (type == null || type.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (type.length() > MAX_LENGTH || !TYPE.matcher(type).matches()) {
            return Optional.of("must be dot-separated lower-case words such as workspace.quota.messaging.exhausted");
        }
        return Optional.empty();
    }

    public static Optional<String> checkPattern(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (pattern.length() > MAX_LENGTH || !PATTERN.matcher(pattern).matches()) {
            return Optional.of("must be an event type, a prefix ending in .* (workspace.*), or * for all");
        }
        return Optional.empty();
    }
}
