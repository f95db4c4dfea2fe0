package io.partnerhooks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.server.api.model.ApiSchema;
import io.partnerhooks.server.api.model.Explicit;
import io.partnerhooks.server.support.OpenApiDocument;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The request and response records compared with the schemas of docs/openapi.yaml they name
 * ({@link ApiSchema}), without starting a server: the same field names both ways, the same JSON
 * types, nothing the document requires that a response may leave out, nothing a request record
 * demands that the document calls optional; nested records are compared where their parent puts them.
 */
class RecordSchemaTest {
    private static final OpenApiDocument OPENAPI = OpenApiDocument.load();
    private static final JsonNode DOC = OPENAPI.root();

    private static List<Class<?>> annotatedRecords() {
        List<Class<?>> out = new ArrayList<>();
        new ClassFileImporter()
                .importPackages("io.partnerhooks.server.api.model")
                .forEach(c -> {
                    if (c.isAnnotatedWith(ApiSchema.class)) {
                        out.add(c.reflect());
                    }
                });
        return out;
    }

    @Test
    void everyRecordMatchesTheSchemaItNames() {
        List<Class<?>> records = annotatedRecords();
        assertThat(records).as("records annotated with @ApiSchema").hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (Class<?> type : records) {
            assertThat(type.isRecord()).as(type + " is a record").isTrue();
            boolean request = type.getSimpleName().endsWith("Request");
            for (String name : type.getAnnotation(ApiSchema.class).value()) {
                JsonNode schema = schemaNamed(name);
                if (schema == null) {
                    problems.add(type.getSimpleName() + ": docs/openapi.yaml has no schema \"" + name + "\"");
                    continue;
                }
                compare(type, OPENAPI.flatten(schema), request, type.getSimpleName() + " ~ " + name, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Operations whose JSON body or answer has no record yet, each with the reason. The test below
     * fails when an operation is missing from here without a record, and when one listed here got one.
     */
    private static final Map<String, String> UNTYPED = Map.of(
            "receiveMetaWebhook request",
                    "Meta's own callback: its signature is checked on the raw bytes, it is stored as received"
                            + " and the core reads it",
            "compat99digitalSetWebhook request",
                    "99digital's clients send a form or a JSON object under any Content-Type; read as string"
                            + " fields and answered in 99digital's shape, never as a 400",
            "compat360dialogSetWebhookUrl request",
                    "360dialog's clients send a form or a JSON object under any Content-Type; read as string fields",
            "publishEventBatch request",
                    "the wrapper is read by hand so errors say events[i].field and the batch limit; each event"
                            + " is an EventPublishRequest",
            "reportUsageBatch request",
                    "the wrapper is read by hand so errors say [i].field; each report is a UsageReportRequest",
            "getChannel 200",
                    "the channel as the core stores it (360dialog's partner-event shape, fields in the core's"
                            + " order) plus its messaging_webhook record");

    @Test
    void everyJsonBodyAndAnswerHasARecord() {
        Set<String> named = new TreeSet<>();
        for (Class<?> type : annotatedRecords()) {
            for (String name : type.getAnnotation(ApiSchema.class).value()) {
                named.add(name);
            }
        }
        Set<String> missing = new TreeSet<>();
        Set<String> uncovered = new TreeSet<>();
        for (JsonNode item : iterable(DOC.path("paths"))) {
            for (JsonNode op : iterable(item)) {
                String id = op.path("operationId").asText("");
                if (id.isEmpty()) {
                    continue;
                }
                List<String> wanted = new ArrayList<>();
                JsonNode request =
                        OPENAPI.resolve(op.path("requestBody")).path("content").path("application/json");
                if (request.has("schema")) {
                    wanted.add(id + " request");
                }
                op.path("responses").fields().forEachRemaining(e -> {
                    if (e.getKey().startsWith("2")
                            && OPENAPI.resolve(e.getValue())
                                    .path("content")
                                    .path("application/json")
                                    .has("schema")) {
                        wanted.add(id + " " + e.getKey());
                    }
                });
                for (String w : wanted) {
                    String[] parts = w.split(" ");
                    JsonNode container = parts[1].equals("request")
                            ? OPENAPI.resolve(op.path("requestBody"))
                            : OPENAPI.resolve(op.path("responses").path(parts[1]));
                    JsonNode schema =
                            container.path("content").path("application/json").path("schema");
                    String ref = schema.path("$ref").asText("");
                    String component = ref.isEmpty() ? null : ref.substring(ref.lastIndexOf('/') + 1);
                    boolean covered = named.contains(w) || (component != null && named.contains(component));
                    if (!covered) {
                        uncovered.add(w);
                        if (!UNTYPED.containsKey(w)) {
                            missing.add(w + (component == null ? "" : " (" + component + ")"));
                        }
                    }
                }
            }
        }
        // listed as untyped, yet it has a record now (or it is no operation's body or answer at all)
        Set<String> stale = new TreeSet<>(UNTYPED.keySet());
        stale.removeAll(uncovered);
        assertThat(missing)
                .as("JSON bodies and answers with no @ApiSchema record")
                .isEmpty();
        assertThat(stale)
                .as("listed as untyped but typed now, or no such body or answer")
                .isEmpty();
    }

    @Test
    void theComparisonNoticesADifference() {
        // The check itself must bite: a record with a field the schema lacks, and one missing a field.
        record Wrong(String secret, int extra) {}
        List<String> problems = new ArrayList<>();
        compare(Wrong.class, OPENAPI.flatten(schemaNamed("rotateEndpointSecret 200")), false, "Wrong", problems);
        assertThat(String.join("\n", problems)).contains("extra").contains("id").contains("previous_secret_expires_at");
    }

    /** A record's wire fields in order, with those of an {@code @JsonUnwrapped} component spliced in. */
    private static void wireFields(Class<?> type, List<Bodies.Field> fields, List<RecordComponent> components) {
        List<Bodies.Field> own = Bodies.fields(type);
        RecordComponent[] rc = type.getRecordComponents();
        for (int i = 0; i < rc.length; i++) {
            if (Bodies.annotation(rc[i], JsonUnwrapped.class) != null) {
                wireFields(rc[i].getType(), fields, components);
            } else {
                fields.add(own.get(i));
                components.add(rc[i]);
            }
        }
    }

    private static void compare(Class<?> type, JsonNode schema, boolean request, String where, List<String> out) {
        JsonNode props = schema.path("properties");
        Set<String> documented = new TreeSet<>();
        props.fieldNames().forEachRemaining(documented::add);
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        List<Bodies.Field> fields = new ArrayList<>();
        List<RecordComponent> flat = new ArrayList<>();
        wireFields(type, fields, flat);
        RecordComponent[] rc = flat.toArray(RecordComponent[]::new);
        for (int i = 0; i < rc.length; i++) {
            components.put(fields.get(i).name(), rc[i]);
        }
        Set<String> inRecord = new TreeSet<>(components.keySet());
        Set<String> onlyRecord = new TreeSet<>(inRecord);
        onlyRecord.removeAll(documented);
        Set<String> onlyDoc = new TreeSet<>(documented);
        onlyDoc.removeAll(inRecord);
        if (schema.path("additionalProperties").asBoolean(false)) {
            // The document admits fields it does not name (a fact result carries the entity under its kind's name).
            onlyRecord.clear();
        }
        if (!onlyRecord.isEmpty()) {
            out.add(where + ": fields not in the document: " + onlyRecord);
        }
        if (!onlyDoc.isEmpty()) {
            out.add(where + ": documented fields the record lacks: " + onlyDoc);
        }
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (int i = 0; i < rc.length; i++) {
            String name = fields.get(i).name();
            if (request && fields.get(i).required() && !required.contains(name)) {
                out.add(where + ": the record requires " + name + ", the document does not");
            }
            if (!request && required.contains(name) && Bodies.omittedWhenNull(rc[i])) {
                out.add(where + ": " + name + " is required by the document but left out when null");
            }
            JsonNode p = props.path(name);
            if (p.isMissingNode()) {
                continue;
            }
            p = OPENAPI.flatten(p);
            Type t = rc[i].getGenericType();
            String javaType = jsonType(t);
            Set<String> docTypes = types(p);
            if (javaType != null && !docTypes.isEmpty() && !docTypes.contains(javaType)) {
                out.add(where + ": " + name + " is " + javaType + " in the record, " + docTypes + " in the document");
            }
            nested(t, p, request, where + "." + name, out);
        }
    }

    /** Compares a nested record (or a list of them) with the schema its field has. */
    private static void nested(Type t, JsonNode p, boolean request, String where, List<String> out) {
        Class<?> raw = Bodies.raw(t);
        if (raw == Explicit.class) {
            nested(Bodies.argument(t, 0), p, request, where, out);
        } else if (raw.isRecord() && p.has("properties")) {
            compare(raw, p, request, where, out);
        } else if (raw == List.class && Bodies.raw(Bodies.argument(t, 0)).isRecord()) {
            JsonNode items = OPENAPI.flatten(p.path("items"));
            if (items.has("properties")) {
                compare(Bodies.raw(Bodies.argument(t, 0)), items, request, where + "[]", out);
            }
        }
    }

    /** The JSON type a Java type is written as; null when any value goes. */
    private static String jsonType(Type t) {
        Class<?> raw = Bodies.raw(t);
        if (raw == String.class || raw == Instant.class) {
            return "string";
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return "integer";
        }
        if (raw == Double.class || raw == double.class) {
            return "number";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        if (raw == List.class) {
            return "array";
        }
        if (raw == Explicit.class) {
            // Explicit is itself a record: unwrap it before the record check below.
            return jsonType(Bodies.argument(t, 0));
        }
        if (raw == Map.class || raw == SubjectFilter.class || raw == ObjectNode.class || raw.isRecord()) {
            return "object";
        }
        return null;
    }

    /** The non-null JSON types a schema admits (an integer is also a number); empty when it does not say. */
    private static Set<String> types(JsonNode s) {
        Set<String> out = new TreeSet<>();
        JsonNode type = s.path("type");
        if (type.isTextual()) {
            out.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(x -> out.add(x.asText()));
        } else if (s.has("const")) {
            JsonNode c = s.get("const");
            out.add(c.isBoolean() ? "boolean" : c.isIntegralNumber() ? "integer" : c.isTextual() ? "string" : "");
        } else if (s.has("enum")
                && s.get("enum").size() > 0
                && s.get("enum").get(0).isTextual()) {
            out.add("string");
        } else {
            for (String k : List.of("oneOf", "anyOf")) {
                s.path(k).forEach(alt -> out.addAll(types(OPENAPI.flatten(alt))));
            }
        }
        out.remove("null");
        if (out.contains("number")) {
            out.add("integer");
        }
        return out;
    }

    private static JsonNode schemaNamed(String name) {
        String[] parts = name.split(" ");
        if (parts.length == 1) {
            JsonNode s = DOC.path("components").path("schemas").path(name);
            return s.isMissingNode() ? null : s;
        }
        for (JsonNode item : iterable(DOC.path("paths"))) {
            for (JsonNode op : iterable(item)) {
                if (!op.path("operationId").asText().equals(parts[0])) {
                    continue;
                }
                JsonNode container = parts[1].equals("request")
                        ? OPENAPI.resolve(op.path("requestBody"))
                        : OPENAPI.resolve(op.path("responses").path(parts[1]));
                JsonNode s = container.path("content").path("application/json").path("schema");
                return s.isMissingNode() ? null : s;
            }
        }
        return null;
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        n.elements().forEachRemaining(out::add);
        return out;
    }
}
