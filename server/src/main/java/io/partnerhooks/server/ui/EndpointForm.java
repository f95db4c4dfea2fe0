package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.javalin.http.Context;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.PayloadFormats;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.usecase.EndpointChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The endpoint form, shared by create and edit: what it shows ({@link #render}) and, through
 * {@link EndpointFormInput}, what it sends to the use case ({@link #parse}). Its fields carry the
 * API's names (url, event_types, ...), so a use-case validation error, which names the API field,
 * lands beside the form field it is about ({@link #sortErrors}). A new endpoint option is one more
 * {@code row} in {@link #render} and one more argument in {@link EndpointFormInput#parse}.
 */
final class EndpointForm {
    /** Shown for a stored header value: values may be credentials and are never put back on a page. */
    static final String MASK = "********";

    /** What the form shows: the values typed or stored, and the errors by form field. */
    record State(Map<String, List<String>> values, Map<String, String> errors, List<String> otherErrors) {
        String one(String name) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() ? "" : v.get(0);
        }

        boolean has(String name, String value) {
            List<String> v = values.get(name);
            return v != null && v.contains(value);
        }

        static State blank() {
            Map<String, List<String>> v = new LinkedHashMap<>();
            v.put("event_types", List.of("*"));
            v.put("max_in_flight", List.of(String.valueOf(Endpoint.DEFAULT_MAX_IN_FLIGHT)));
            v.put("format", List.of(Endpoint.Profile.STANDARD));
            v.put("ordering", List.of(Endpoint.Profile.ORDERING_NONE));
            return new State(v, Map.of(), List.of());
        }

        /** The form as the endpoint stands (header values masked). */
        static State of(Endpoint e) {
            Map<String, List<String>> v = new LinkedHashMap<>();
            v.put("url", List.of(e.url()));
            v.put("description", List.of(e.description() == null ? "" : e.description()));
            v.put("event_types", e.eventTypes());
            v.put("headers", List.of(headerText(e.profile().headers(), true)));
            v.put("format", List.of(e.format()));
            v.put("max_in_flight", List.of(String.valueOf(e.limits().maxInFlight())));
            v.put(
                    "rate_limit_per_second",
                    List.of(
                            e.limits().ratePerSecond() == null
                                    ? ""
                                    : e.limits().ratePerSecond().toString()));
            v.put("ordering", List.of(e.profile().ordering()));
            if (e.profile().collapse()) {
                v.put("collapse", List.of("true"));
            }
            if (e.profile().traceContext()) {
                v.put("trace_context", List.of("true"));
            }
            for (String f : SubjectFilter.FIELDS) {
                v.put("filter_" + f, List.of(String.join(" ", e.filter().values(f))));
            }
            return new State(v, Map.of(), List.of());
        }

        /** What was posted, with the errors the use case found. */
        static State posted(Context ctx, InvalidInputException ex) {
            Map<String, List<String>> v = new LinkedHashMap<>(ctx.formParamMap());
            Map<String, String> errs = new LinkedHashMap<>();
            List<String> other = new ArrayList<>();
            sortErrors(ex, errs, other);
            return new State(v, errs, other);
        }
    }

    private EndpointForm() {}

    static String headerText(Map<String, String> headers, boolean masked) {
        StringBuilder sb = new StringBuilder();
        headers.forEach(
                (k, v) -> sb.append(k).append(": ").append(masked ? MASK : v).append('\n'));
        return sb.toString();
    }

    /** The form fields errors can be put beside; the rest go above the form. */
    static final Set<String> FIELDS = Set.of(
            "url",
            "description",
            "event_types",
            "headers",
            "format",
            "max_in_flight",
            "rate_limit_per_second",
            "ordering",
            "collapse",
            "filter",
            "trace_context");

    /**
     * Sorts a use case's errors by form field: {@code event_types[2]} and {@code headers.X-Key}
     * belong to {@code event_types} and {@code headers}.
     */
    static void sortErrors(InvalidInputException ex, Map<String, String> byField, List<String> other) {
        for (InvalidInputException.FieldError fe : ex.errors()) {
            String field = fe.field() == null ? "" : fe.field();
            int cut = field.length();
            for (int i = 0; i < field.length(); i++) {
                if (field.charAt(i) == '[' || field.charAt(i) == '.') {
                    cut = i;
                    break;
                }
            }
            String base = field.substring(0, cut);
            String text = (cut < field.length() ? field.substring(cut) + " " : "") + fe.detail();
            if (FIELDS.contains(base)) {
                byField.merge(base, text, (a, b) -> a + "; " + b);
            } else {
                other.add(field + " " + fe.detail());
            }
        }
    }

    /**
     * The form. {@code action}: where it posts; {@code id}: the form's id; {@code submit}: the
     * button's label. {@code edit}: an edit form (header values left masked keep the stored ones).
     */
    static String render(
            UiSessions.Session s,
            EventCatalog catalog,
            State st,
            String action,
            String id,
            String legend,
            String submit,
            boolean edit) {
        StringBuilder sb = new StringBuilder("<form method=\"post\" action=\"")
                .append(esc(action))
                .append("\" id=\"")
                .append(esc(id))
                .append("\" class=\"endpoint-form\"><fieldset><legend>")
                .append(esc(legend))
                .append("</legend>")
                .append(Html.csrf(s));
        if (!st.otherErrors().isEmpty()) {
            sb.append("<div class=\"error\" role=\"alert\">")
                    .append(esc(String.join("; ", st.otherErrors())))
                    .append("</div>");
        }
        row(
                sb,
                st,
                "url",
                "URL",
                "<input type=\"url\" name=\"url\" id=\"f-url\" size=\"70\" required"
                        + " placeholder=\"https://example.com/webhooks\" value=\"" + esc(st.one("url")) + "\">");
        row(
                sb,
                st,
                "description",
                "Description",
                "<input name=\"description\" id=\"f-description\" size=\"70\" value=\"" + esc(st.one("description"))
                        + "\">");
        row(sb, st, "event_types", "Event types", eventTypes(catalog, st));
        row(
                sb,
                st,
                "headers",
                "Custom headers (one <code>Name: value</code> a line; sent on every delivery)"
                        + (edit ? "; a value left as " + MASK + " keeps the stored one" : ""),
                "<textarea name=\"headers\" id=\"f-headers\" rows=\"3\" cols=\"68\">" + esc(st.one("headers"))
                        + "</textarea>");
        StringBuilder formats = new StringBuilder("<select name=\"format\" id=\"f-format\">");
        for (String f : PayloadFormats.all().names()) {
            formats.append("<option value=\"")
                    .append(esc(f))
                    .append('"')
                    .append(f.equals(st.one("format")) ? " selected" : "")
                    .append('>')
                    .append(esc(f))
                    .append("</option>");
        }
        row(sb, st, "format", "Payload format", formats.append("</select>").toString());
        row(
                sb,
                st,
                "max_in_flight",
                "At most this many deliveries in flight at once",
                "<input type=\"number\""
                        + " name=\"max_in_flight\" id=\"f-max_in_flight\" min=\"1\" size=\"6\" value=\""
                        + esc(st.one("max_in_flight")) + "\">");
        row(
                sb,
                st,
                "rate_limit_per_second",
                "Rate limit, deliveries per second (empty: none)",
                "<input type=\"number\""
                        + " name=\"rate_limit_per_second\" id=\"f-rate_limit_per_second\" min=\"1\" size=\"6\" value=\""
                        + esc(st.one("rate_limit_per_second")) + "\">");
        row(
                sb,
                st,
                "ordering",
                "Ordering",
                "<select name=\"ordering\" id=\"f-ordering\"><option value=\"none\""
                        + (st.has("ordering", "ordered") ? "" : " selected")
                        + ">none: deliveries go as soon as they can</option>"
                        + "<option value=\"ordered\"" + (st.has("ordering", "ordered") ? " selected" : "")
                        + ">ordered: deliveries"
                        + " sharing an ordering key go one at a time, in sequence order (a failing key holds back only itself)"
                        + "</option></select>");
        row(
                sb,
                st,
                "collapse",
                null,
                "<label><input type=\"checkbox\" name=\"collapse\" value=\"true\""
                        + (st.has("collapse", "true") ? " checked" : "")
                        + "> Collapse: for state types, send only the latest"
                        + " pending event per ordering key (older ones become superseded)</label>");
        row(
                sb,
                st,
                "trace_context",
                null,
                "<label><input type=\"checkbox\" name=\"trace_context\" value=\"true\""
                        + (st.has("trace_context", "true") ? " checked" : "") + "> Trace context: each attempt sends a"
                        + " <code>traceparent</code> header naming its trace span (when the server exports traces)</label>");
        row(
                sb,
                st,
                "filter",
                "Subject filter (optional: only events about these subjects; an event matching any"
                        + " listed value is sent; values space or comma separated, at most " + SubjectFilter.MAX_VALUES
                        + " each)",
                filterInputs(st));
        return sb.append("<button type=\"submit\">")
                .append(esc(submit))
                .append("</button></fieldset></form>")
                .toString();
    }

    private static final String[][] FILTER_LABELS = {
        {SubjectFilter.WORKSPACE_IDS, "Workspace ids"},
        {SubjectFilter.CHANNEL_IDS, "Channel ids"},
        {SubjectFilter.PHONE_NUMBERS, "Phone numbers"}
    };

    private static String filterInputs(State st) {
        StringBuilder sb = new StringBuilder("<div id=\"subject-filter\">");
        for (String[] f : FILTER_LABELS) {
            sb.append("<label>")
                    .append(esc(f[1]))
                    .append("<br><input name=\"filter_")
                    .append(f[0])
                    .append("\" id=\"f-filter_")
                    .append(f[0])
                    .append("\" size=\"70\" value=\"")
                    .append(esc(st.one("filter_" + f[0])))
                    .append("\"></label><br>");
        }
        return sb.append("</div>").toString();
    }

    private static void row(StringBuilder sb, State st, String field, String label, String control) {
        String err = st.errors().get(field);
        sb.append("<div class=\"form-row\" id=\"row-").append(esc(field)).append("\">");
        if (label != null) {
            // labels are literals of this class (some with markup), never input
            sb.append("<label for=\"f-")
                    .append(esc(field))
                    .append("\">")
                    .append(label)
                    .append("</label><br>");
        }
        sb.append(control);
        if (err != null) {
            sb.append("<span class=\"field-error\" id=\"error-")
                    .append(esc(field))
                    .append("\" role=\"alert\">")
                    .append(esc(err))
                    .append("</span>");
        }
        sb.append("</div>");
    }

    /** Checkboxes from the catalog grouped by domain, a box for a whole domain, and free-text patterns. */
    private static String eventTypes(EventCatalog catalog, State st) {
        Map<String, List<EventCatalog.EventType>> byDomain = new TreeMap<>();
        Set<String> offered = new LinkedHashSet<>();
        offered.add("*");
        for (var t : catalog.types()) {
            String domain =
                    t.type().contains(".") ? t.type().substring(0, t.type().indexOf('.')) : t.type();
            byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).add(t);
        }
        StringBuilder sb =
                new StringBuilder("<div id=\"f-event_types\"><label><input type=\"checkbox\" name=\"event_types\""
                        + " value=\"*\"" + (st.has("event_types", "*") ? " checked" : "")
                        + "> <b>every type</b> (<code>*</code>)</label>"
                        + "<div class=\"types\">");
        byDomain.forEach((domain, types) -> {
            String all = domain + ".*";
            offered.add(all);
            sb.append("<fieldset><legend><label><input type=\"checkbox\" name=\"event_types\" value=\"")
                    .append(esc(all))
                    .append('"')
                    .append(st.has("event_types", all) ? " checked" : "")
                    .append("> ")
                    .append(esc(domain))
                    .append(" (all)</label></legend>");
            for (var t : types) {
                offered.add(t.type());
                sb.append("<label title=\"")
                        .append(esc(t.description()))
                        .append("\"><input type=\"checkbox\" name=\"event_types\"" + " value=\"")
                        .append(esc(t.type()))
                        .append('"')
                        .append(st.has("event_types", t.type()) ? " checked" : "")
                        .append("> <code>")
                        .append(esc(t.type()))
                        .append("</code></label>");
            }
            sb.append("</fieldset>");
        });
        sb.append("</div>");
        // what is neither a box nor typed in the text field (a stored pattern such as package.status.*) goes in the
        // text field
        List<String> extra = new ArrayList<>();
        String typed = st.one("event_types_more");
        if (!typed.isBlank()) {
            extra.add(typed.strip());
        }
        for (String v : st.values().getOrDefault("event_types", List.of())) {
            if (!offered.contains(v)) {
                extra.add(v);
            }
        }
        sb.append("<label>Other patterns (space or comma separated, e.g. <code>package.status.*</code>) <input"
                        + " name=\"event_types_more\" size=\"40\" value=\"")
                .append(esc(String.join(" ", extra)))
                .append("\"></label></div>");
        return sb.toString();
    }

    /** The change the posted form asks for (see {@link EndpointFormInput#parse}). */
    static EndpointChange parse(Context ctx, Endpoint old) {
        return EndpointFormInput.parse(ctx, old);
    }
}
