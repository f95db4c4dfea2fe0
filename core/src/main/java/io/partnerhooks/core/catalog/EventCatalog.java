package io.partnerhooks.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Subjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every event type the product can emit, with its JSON Schema (draft 2020-12) and an example, read
 * from {@code catalog/} on the classpath: {@code index.json} lists the types, and each type has a
 * folder holding {@code schema.json} and {@code example.json}.
 *
 * <p>Schemas are compiled once, when the catalog is read; {@link #validate} then only evaluates
 * them, and is safe to call from many threads at once (it runs on every publish). A catalog whose
 * files disagree with each other (a missing schema, an example its own schema refuses, a malformed
 * type name) is refused at start-up rather than discovered by the first partner who hits it.
 */
public final class EventCatalog {
    /** Where an event comes from: a provider's own event name, and when needed, the case that selects ours. */
    public record Source(String provider, String event, String when) {
        public Source(String provider, String event) {
            this(provider, event, null);
        }
    }

    /**
     * One type. {@code orderingKey} names the subject fields its events are ordered by, joined
     * with {@code +} (e.g. {@code channel_id}, {@code phone_number_id+wa_id}); each event's
     * {@code sequence} counts within one value of that key. {@code collapsible} marks a state
     * type: only its newest event per key matters, so an endpoint with {@code collapse: true}
     * may skip pending older ones.
     */
    public record EventType(
            String type,
            String description,
            String domain,
            List<Source> sources,
            String route,
            String schemaJson,
            String exampleJson,
            String orderingKey,
            boolean collapsible) {
        public EventType(
                String type,
                String description,
                String domain,
                List<Source> sources,
                String route,
                String schemaJson,
                String exampleJson) {
            this(type, description, domain, sources, route, schemaJson, exampleJson, "partner", false);
        }

        /** The key's subject fields, in order. */
        public List<String> orderingFields() {
            return List.of(orderingKey.split("\\+"));
        }
    }

    /** One reason the data does not match; {@code path} starts at {@code data}, like {@code data.client.name}. */
    public record Violation(String path, String message) {}

    public static final Set<String> PROVIDERS = Set.of("timelinesai", "99digital", "360dialog", "meta", "partnerhooks");
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    static final String ID_PREFIX = "urn:partnerhooks:event:";
    private static final String ROOT = "catalog/";
    private static final Pattern ORDERING_KEY = Pattern.compile("[a-z][a-z_]*(\\+[a-z][a-z_]*)*");
    private static final Pattern ROUTE = Pattern.compile("(GET|POST|PUT|PATCH|DELETE) /\\S+");
    private static final ObjectMapper JSON = new ObjectMapper();

    // The files are part of the jar, so one reading serves the whole process; the catalog is immutable.
    private static volatile EventCatalog shared;

    private final List<EventType> types;
    private final Map<String, EventType> byType;
    private final Map<String, Schema> schemas;

    private EventCatalog(List<EventType> types, Map<String, Schema> schemas) {
        this.types = List.copyOf(types);
        Map<String, EventType> m = new LinkedHashMap<>();
        for (EventType t : types) {
            m.put(t.type(), t);
        }
        this.byType = Collections.unmodifiableMap(m);
        this.schemas = Map.copyOf(schemas);
    }

    /** The catalog shipped with the product, read and compiled on first use. */
    public static EventCatalog load() {
        EventCatalog c = shared;
        if (c == null) {
            synchronized (EventCatalog.class) {
                c = shared;
                if (c == null) {
                    c = read(EventCatalog.class.getClassLoader());
                    shared = c;
                }
            }
        }
        return c;
    }

    /** Every type, in the order of {@code index.json}. */
    public List<EventType> types() {
        return types;
    }

    /** Whether a publish of {@code type} can supersede pending older deliveries of it. */
    public boolean collapsible(String type) {
        return find(type).map(EventType::collapsible).orElse(false);
    }

    /**
     * The ordering key value of an event of {@code type} about {@code subject}: the type's key
     * fields present in the subject, as {@code field:value} joined by {@code +}. A subject holding
     * none of them falls back to {@link Subjects#key}, the most specific id it has.
     */
    public String orderingKey(String type, JsonNode subject) {
        Optional<EventType> t = find(type);
        return t.isEmpty() ? Subjects.key(subject) : Subjects.key(t.get().orderingFields(), subject);
    }

    public Optional<EventType> find(String type) {
        return Optional.ofNullable(type == null ? null : byType.get(type));
    }

    /**
     * Whether a subscription pattern ({@code *}, {@code prefix.*} or an exact type) matches at
     * least one type of the catalog.
     */
    public boolean covers(String pattern) {
        if (pattern == null) {
            return false;
        }
        for (EventType t : types) {
            if (EventTypeFilter.matches(pattern, t.type())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The types under a prefix, whole segments only: {@code workspace.quota} (or
     * {@code workspace.quota.*}) finds the quota events but {@code work} finds nothing.
     */
    public List<EventType> byPrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        if (p.endsWith(".*")) {
            p = p.substring(0, p.length() - 2);
        } else if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.equals("*")) {
            return types;
        }
        List<EventType> out = new ArrayList<>();
        for (EventType t : types) {
            if (t.type().equals(p) || t.type().startsWith(p + ".")) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Checks {@code data} against the type's schema; empty when it matches.
     *
     * @throws IllegalArgumentException when the type is not in the catalog
     */
    public List<Violation> validate(String type, JsonNode data) {
        Schema schema = type == null ? null : schemas.get(type);
        if (schema == null) {
            throw new IllegalArgumentException("unknown event type '" + type + "'");
        }
        return Violations.of(schema.validate(data == null ? NullNode.instance : data));
    }

    // ---- reading ----

    static EventCatalog read(ClassLoader loader) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaLoader(l -> l.fetchRemoteResources(false))
                        // date-time fields are contract, so a malformed time is refused, not merely annotated
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
        JsonNode index = parse(resource(loader, ROOT + "index.json"), "index.json");
        if (!index.isArray() || index.isEmpty()) {
            throw new IllegalStateException("catalog/index.json must be a non-empty array");
        }
        List<EventType> types = new ArrayList<>();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (JsonNode entry : index) {
            EventType t = entry(loader, entry);
            if (schemas.containsKey(t.type())) {
                throw new IllegalStateException("catalog/index.json lists " + t.type() + " twice");
            }
            Schema schema = compile(registry, t);
            List<Violation> wrong = Violations.of(schema.validate(parse(t.exampleJson(), t.type() + "/example.json")));
            if (!wrong.isEmpty()) {
                throw new IllegalStateException(
                        "catalog: the example of " + t.type() + " does not match its schema: " + wrong);
            }
            types.add(t);
            schemas.put(t.type(), schema);
        }
        return new EventCatalog(types, schemas);
    }

    private static EventType entry(ClassLoader loader, JsonNode e) {
        String type = text(e, "type");
        String where = "catalog/index.json entry " + (type == null ? e.toString() : type);
        if (type == null || EventTypeFilter.checkType(type).isPresent()) {
            throw new IllegalStateException(where + ": type must be dot-separated lower-case words");
        }
        String description = text(e, "description");
        String domain = text(e, "domain");
        String route = text(e, "route");
        if (description == null || description.isBlank()) {
            throw new IllegalStateException(where + ": description is missing");
        }
        if (!type.substring(0, type.indexOf('.')).equals(domain)) {
            throw new IllegalStateException(where + ": domain must be the type's first segment");
        }
        if (route == null || !ROUTE.matcher(route).matches()) {
            throw new IllegalStateException(where + ": route must be a method and a path");
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : e.path("sources")) {
            String provider = text(s, "provider");
            String event = text(s, "event");
            if (!PROVIDERS.contains(provider) || event == null || event.isBlank()) {
                throw new IllegalStateException(where + ": every source needs a known provider and an event name");
            }
            sources.add(new Source(provider, event, text(s, "when")));
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException(where + ": sources are missing");
        }
        String orderingKey = text(e, "ordering_key");
        if (orderingKey == null || !ORDERING_KEY.matcher(orderingKey).matches()) {
            throw new IllegalStateException(where + ": ordering_key must name subject fields joined by +");
        }
        JsonNode collapsible = e.path("collapsible");
        if (!collapsible.isMissingNode() && !collapsible.isBoolean()) {
            throw new IllegalStateException(where + ": collapsible must be true or false");
        }
        return new EventType(
                type,
                description,
                domain,
                List.copyOf(sources),
                route,
                resource(loader, ROOT + type + "/schema.json"),
                resource(loader, ROOT + type + "/example.json"),
                orderingKey,
                collapsible.asBoolean(false));
    }

    private static Schema compile(SchemaRegistry registry, EventType t) {
        JsonNode node = parse(t.schemaJson(), t.type() + "/schema.json");
        if (!DIALECT.equals(node.path("$schema").asText())
                || !(ID_PREFIX + t.type()).equals(node.path("$id").asText())) {
            throw new IllegalStateException("catalog: " + t.type() + "/schema.json must declare $schema " + DIALECT
                    + " and $id " + ID_PREFIX + t.type());
        }
        try {
            Schema schema = registry.getSchema(node);
            // compile every keyword now: lazy compilation on the first publish would race between threads
            schema.initializeValidators();
            return schema;
        } catch (SchemaException ex) {
            throw new IllegalStateException(
                    "catalog: " + t.type() + "/schema.json is not a usable schema: " + ex.getMessage(), ex);
        }
    }

    private static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("catalog resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + name, ex);
        }
    }

    private static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (IOException ex) {
            throw new IllegalStateException("catalog: " + what + " is not valid JSON", ex);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
