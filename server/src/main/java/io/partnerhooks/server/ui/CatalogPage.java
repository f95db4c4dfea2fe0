package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.catalog.EventCatalog;

/** Every catalog type with its description, sources, JSON Schema and example. */
final class CatalogPage {
    private CatalogPage() {}

    static String render(EventCatalog catalog, UiSessions.Session s) {
        StringBuilder sb = new StringBuilder("<p>")
                .append(esc(catalog.types().size()))
                .append(" event types. Subscribe to one, to <code>prefix.*</code>, or to <code>*</code>.</p>")
                .append(
                        "<table id=\"catalog\"><tr><th>Type</th><th>Description</th><th>Sources</th><th>Schema and example</th></tr>");
        for (EventCatalog.EventType t : catalog.types()) {
            sb.append("<tr id=\"")
                    .append(esc(t.type()))
                    .append("\"><td><code>")
                    .append(esc(t.type()))
                    .append("</code></td><td>")
                    .append(esc(t.description()))
                    .append("</td><td>");
            for (EventCatalog.Source src : t.sources()) {
                sb.append(esc(src.provider()))
                        .append(": ")
                        .append(esc(src.event()))
                        .append(src.when() == null ? "" : " (" + esc(src.when()) + ")")
                        .append("<br>");
            }
            if (t.route() != null) {
                sb.append("<code>").append(esc(t.route())).append("</code>");
            }
            sb.append("</td><td><details><summary>schema</summary>")
                    .append(Html.pre(pretty(t.schemaJson())))
                    .append("</details><details><summary>example</summary>")
                    .append(Html.pre(pretty(t.exampleJson())))
                    .append("</details></td></tr>");
        }
        return Html.page("Event catalog", s, sb.append("</table>").toString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
