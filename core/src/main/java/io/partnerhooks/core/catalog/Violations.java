package io.partnerhooks.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import io.partnerhooks.core.catalog.EventCatalog.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the validator's errors into what a publisher can act on: the path of the offending field
 * in the request body ({@code data.setup_info.phone_number}, {@code data.errors[0].code}) and a
 * short reason. The validator reports a missing or forbidden property at its parent object, so the
 * property is appended to name the field itself.
 */
final class Violations {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> NAMES_A_CHILD =
            Set.of("required", "dependentRequired", "additionalProperties", "unevaluatedProperties", "propertyNames");

    private Violations() {}

    static List<Violation> of(List<Error> errors) {
        // anyOf / if-then branches can report the same field twice; one line per problem is enough
        Set<Violation> out = new LinkedHashSet<>();
        for (Error e : errors) {
            out.add(new Violation(path(e), message(e)));
        }
        return List.copyOf(new ArrayList<>(out));
    }

    static String path(Error e) {
        StringBuilder sb = new StringBuilder("data");
        NodePath at = e.getInstanceLocation();
        for (int i = 0; i < at.getNameCount(); i++) {
            append(sb, at.getElement(i));
        }
        if (e.getProperty() != null && NAMES_A_CHILD.contains(e.getKeyword())) {
            append(sb, e.getProperty());
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object element) {
        if (element instanceof Integer i) {
            sb.append('[').append(i).append(']');
        } else {
            String name = String.valueOf(element);
            if (PLAIN.matcher(name).matches()) {
                sb.append('.').append(name);
            } else {
                sb.append("[\"")
                        .append(name.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append("\"]");
            }
        }
    }

    private static String message(Error e) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        return switch (keyword) {
            case "required", "dependentRequired" -> "is required";
            case "additionalProperties", "unevaluatedProperties" -> "is not allowed";
            case "format" -> {
                String format = formatName(e.getSchemaNode());
                yield format == null
                        ? e.getMessage()
                        : "must be a valid " + format
                                + ("date-time".equals(format) ? " (RFC 3339, e.g. 2026-11-22T12:00:00Z)" : "");
            }
            default -> e.getMessage();
        };
    }

    private static String formatName(JsonNode schemaNode) {
        if (schemaNode == null) {
            return null;
        }
        return schemaNode.isTextual()
                ? schemaNode.asText()
                : schemaNode.path("format").asText(null);
    }
}
