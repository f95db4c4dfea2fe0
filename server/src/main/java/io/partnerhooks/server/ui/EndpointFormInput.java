package io.partnerhooks.server.ui;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.usecase.EndpointChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posted endpoint form read back into the change it asks the use case for: the event types
 * ticked and typed, numbers, headers (a masked value keeps the stored one) and the subject filter.
 * Only what the form itself can tell is checked here (a number that is not one, a header line with
 * no colon); the use case validates the rest. What the form shows is {@link EndpointForm}.
 */
final class EndpointFormInput {
    private EndpointFormInput() {}

    /**
     * The change the form asks for. On edit ({@code old} set) every field is sent, so clearing one
     * clears it (an empty rate limit removes the limit, an unticked collapse turns it off); headers
     * are sent only when their text changed, and a value left masked keeps the stored value.
     */
    static EndpointChange parse(Context ctx, Endpoint old) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        List<String> types = new ArrayList<>(ctx.formParams("event_types"));
        String more = ctx.formParam("event_types_more");
        if (more != null && !more.isBlank()) {
            for (String t : more.strip().split("[\\s,]+")) {
                if (!types.contains(t)) {
                    types.add(t);
                }
            }
        }
        String description = ctx.formParam("description");
        Integer maxInFlight = number(ctx, "max_in_flight", errors);
        Integer rate = number(ctx, "rate_limit_per_second", errors);
        Map<String, String> headers = headers(ctx, old, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String format = blankNull(ctx.formParam("format"));
        String ordering = blankNull(ctx.formParam("ordering"));
        boolean collapse = "true".equals(ctx.formParam("collapse"));
        SubjectFilter filter = filter(ctx);
        boolean trace = "true".equals(ctx.formParam("trace_context"));
        if (old == null) {
            return new EndpointChange(
                    blankNull(ctx.formParam("url")),
                    types,
                    blankNull(description),
                    null,
                    maxInFlight,
                    rate,
                    false,
                    format,
                    headers,
                    collapse ? Boolean.TRUE : null,
                    ordering,
                    filter.isEmpty() ? null : filter,
                    trace ? Boolean.TRUE : null);
        }
        return new EndpointChange(
                ctx.formParam("url") == null ? null : ctx.formParam("url").strip(),
                types,
                description == null ? null : description.strip(),
                null,
                maxInFlight,
                rate,
                rate == null,
                format,
                headers,
                collapse,
                ordering,
                filter,
                trace);
    }

    /** The filter the form asks for: {@link SubjectFilter#NONE} when every list is empty. */
    private static SubjectFilter filter(Context ctx) {
        List<List<String>> lists = new ArrayList<>();
        for (String f : SubjectFilter.FIELDS) {
            String raw = ctx.formParam("filter_" + f);
            lists.add(
                    raw == null || raw.isBlank()
                            ? List.of()
                            : List.of(raw.strip().split("[\\s,]+")));
        }
        return new SubjectFilter(lists.get(0), lists.get(1), lists.get(2));
    }

    private static String blankNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Integer number(Context ctx, String name, List<InvalidInputException.FieldError> errors) {
        String raw = blankNull(ctx.formParam(name));
        if (raw == null) {
            return null;
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException e) {
            errors.add(new InvalidInputException.FieldError(name, "must be a whole number"));
            return null;
        }
    }

    private static Map<String, String> headers(
            Context ctx, Endpoint old, List<InvalidInputException.FieldError> errors) {
        String raw = ctx.formParam("headers");
        if (raw == null) {
            return null;
        }
        if (old != null
                && raw.replace("\r\n", "\n")
                        .strip()
                        .equals(EndpointForm.headerText(old.profile().headers(), true)
                                .strip())) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : raw.split("\\r?\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                errors.add(new InvalidInputException.FieldError("headers", "each line must be Name: value"));
                return null;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (old != null && value.equals(EndpointForm.MASK)) {
                String stored = old.profile().headers().entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(null);
                if (stored == null) {
                    errors.add(new InvalidInputException.FieldError(
                            "headers." + name, "has no stored value to keep; type one"));
                    return null;
                }
                value = stored;
            }
            out.put(name, value);
        }
        return old == null && out.isEmpty() ? null : out;
    }
}
