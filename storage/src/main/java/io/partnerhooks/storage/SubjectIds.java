package io.partnerhooks.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.io.IOException;
import java.util.List;

/** Pulls the filterable ids (workspace, channel, phone number) out of an event's subject JSON. */
final class SubjectIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SubjectIds() {}

    /** {workspace_id, channel_id, phone_number}, each null when absent or not a string/number. */
    static String[] of(String subjectJson) {
        String[] out = new String[3];
        try {
            JsonNode n = JSON.readTree(subjectJson);
            out[0] = text(n.get("workspace_id"));
            out[1] = text(n.get("channel_id"));
            out[2] = text(n.get("phone_number"));
        } catch (IOException e) {
            // the API only stores objects it parsed; an unreadable subject simply has no filterable ids
        }
        return out;
    }

    /**
     * The SQL condition (starting with " AND ") that keeps the events {@code f} lets through, matched
     * on the columns {@link #of} fills, with its values added to {@code params}; "" for no filter.
     * {@code prefix} qualifies the columns ("" or an alias with its dot).
     */
    static String condition(SubjectFilter f, String prefix, List<Object> params) {
        if (f == null || f.isEmpty()) {
            return "";
        }
        StringBuilder sql = new StringBuilder(" AND (");
        String[] columns = {"workspace_id", "channel_id", "phone_number"};
        boolean first = true;
        for (int i = 0; i < columns.length; i++) {
            List<String> values = f.values(SubjectFilter.FIELDS.get(i));
            if (values.isEmpty()) {
                continue;
            }
            sql.append(first ? "" : " OR ")
                    .append(prefix)
                    .append(columns[i])
                    .append(" IN (")
                    .append(Jdbc.placeholders(values.size()))
                    .append(")");
            params.addAll(values);
            first = false;
        }
        return sql.append(")").toString();
    }

    private static String text(JsonNode v) {
        return v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty() ? v.asText() : null;
    }
}
