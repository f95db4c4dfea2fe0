package io.partnerhooks.core.domain;

import io.partnerhooks.core.error.InvalidInputException.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for the headers a partner asks us to send on every delivery (for example an API key that
 * their receiver checks). Names that we set ourselves, or that HTTP reserves for the connection,
 * cannot be overridden.
 */
public final class CustomHeaders {
    public static final int MAX_HEADERS = 20;
    public static final int MAX_NAME = 100;
    public static final int MAX_VALUE = 2000;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> RESERVED = Set.of(
            "content-type",
            "content-length",
            "content-encoding",
            "host",
            "user-agent",
            "connection",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "expect",
            "date",
            "http2-settings");
    private static final List<String> RESERVED_PREFIXES = List.of("webhook-", "x-hub-signature", "x-tl-", "proxy-");

    private CustomHeaders() {}

    /** Problems with {@code headers}, each naming {@code field.<name>}. */
    public static void check(String field, Map<String, String> headers, List<FieldError> errors) {
        if (headers.size() > MAX_HEADERS) {
            errors.add(new FieldError(field, "must hold at most " + MAX_HEADERS + " headers"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            String at = field + "." + name;
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.isEmpty()
                    || name.length() > MAX_NAME
                    || !TOKEN.matcher(name).matches()) {
                errors.add(new FieldError(
                        field,
                        "header name '" + printable(name) + "' must be 1 to " + MAX_NAME
                                + " letters, digits or !#$%&'*+.^_`|~-"));
            } else if (RESERVED.contains(lower) || RESERVED_PREFIXES.stream().anyMatch(lower::startsWith)) {
                errors.add(new FieldError(at, "is set by Partnerhooks itself and cannot be overridden"));
            } else if (!seen.add(lower)) {
                errors.add(new FieldError(at, "appears twice (header names ignore case)"));
            }
            String value = h.getValue();
            if (value == null) {
                errors.add(new FieldError(at, "must be a string"));
            } else if (value.length() > MAX_VALUE) {
                errors.add(new FieldError(at, "must be at most " + MAX_VALUE + " characters"));
            } else if (value.chars().anyMatch(ch -> (ch < 0x20 && ch != '\t') || ch == 0x7f)) {
                errors.add(new FieldError(at, "must not contain control characters such as line breaks"));
            } else if (!value.equals(value.strip())) {
                errors.add(new FieldError(at, "must not start or end with white space"));
            }
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
