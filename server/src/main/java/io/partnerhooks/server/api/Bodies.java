package io.partnerhooks.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.server.api.model.Explicit;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request and response records on the wire. Jackson maps them (snake_case names, RFC 3339 times);
 * before it does, {@link #bind} checks the body against the record's components with the
 * field-naming messages of {@link Json}, so a mistake is a 400 naming the field in our words, never
 * Jackson's, and the mapping itself cannot fail.
 */
public final class Bodies {
    /** The mapper for request and response records (trees keep using {@link Json#MAPPER}). */
    public static final ObjectMapper RECORDS = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("partnerhooks-wire")
                    .addSerializer(Instant.class, new InstantWriter())
                    .addDeserializer(Instant.class, new InstantReader())
                    .addDeserializer(SubjectFilter.class, new FilterReader())
                    .addDeserializer(Explicit.class, new ExplicitReader(null)))
            .build();

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private Bodies() {}

    /** One JSON field of a record: its wire name, its Java type, whether it must be there. */
    record Field(String name, Type type, boolean required) {}

    /** The body, which must be a JSON object, as a {@code type}. */
    public static <R extends Record> R read(Context ctx, Class<R> type) {
        return bind(Json.object(ctx), type);
    }

    /** As {@link #read}, but an empty body counts as {@code {}} (every field left out). */
    public static <R extends Record> R readOrEmpty(Context ctx, Class<R> type) {
        return bind(ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx), type);
    }

    /** A JSON object as a {@code type}, after checking every field names a component and has its shape. */
    public static <R extends Record> R bind(ObjectNode body, Class<R> type) {
        check(body, type);
        try {
            return RECORDS.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The check above admits only what maps; reaching this is our bug, told without Jackson's text.
            throw new IllegalStateException("a checked " + type.getSimpleName() + " body did not map", e);
        }
    }

    /** The wire fields of a record, in component order. */
    static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, Bodies::describe);
    }

    private static List<Field> describe(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        List<Field> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty p = annotation(c, JsonProperty.class);
            String name = p != null && !p.value().isEmpty()
                    ? p.value()
                    : PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName());
            out.add(new Field(name, c.getGenericType(), p != null && p.required()));
        }
        return List.copyOf(out);
    }

    /** Whether a response component is left out of the JSON when it is null. */
    static boolean omittedWhenNull(RecordComponent c) {
        JsonInclude inc = annotation(c, JsonInclude.class);
        return inc != null && inc.value() != JsonInclude.Include.ALWAYS;
    }

    /**
     * An annotation written on a record component. Jackson's annotations do not target record
     * components, so Java hands them to the accessor (and the field), not to the component itself.
     */
    static <A extends Annotation> A annotation(RecordComponent c, Class<A> kind) {
        A onComponent = c.getAnnotation(kind);
        return onComponent != null ? onComponent : c.getAccessor().getAnnotation(kind);
    }

    private static void check(ObjectNode body, Class<?> type) {
        List<Field> fields = fields(type);
        List<String> names = fields.stream().map(Field::name).toList();
        body.fieldNames().forEachRemaining(f -> {
            if (!names.contains(f)) {
                throw new InvalidInputException(
                        f, "is not a known field (expected one of " + String.join(", ", names) + ")");
            }
        });
        for (Field f : fields) {
            JsonNode v = body.get(f.name());
            if (f.required() && (v == null || v.isNull())) {
                throw new InvalidInputException(f.name(), "is required");
            }
            shape(body, f.name(), f.type());
        }
    }

    /** Checks one field's shape with the messages of {@link Json}'s readers. */
    private static void shape(ObjectNode body, String name, Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class) {
            Json.optionalString(body, name);
        } else if (raw == Integer.class) {
            Json.optionalInt(body, name);
        } else if (raw == Long.class) {
            Json.optionalLong(body, name);
        } else if (raw == Boolean.class) {
            Json.optionalBoolean(body, name);
        } else if (raw == Instant.class) {
            Json.optionalTime(body, name);
        } else if (raw == SubjectFilter.class) {
            Json.optionalSubjectFilter(body, name);
        } else if (raw == ObjectNode.class) {
            Json.optionalObjectText(body, name);
        } else if (raw == JsonNode.class) {
            // any JSON value
        } else if (raw == Explicit.class) {
            shape(body, name, argument(type, 0));
        } else if (raw == List.class && argument(type, 0) == String.class) {
            Json.optionalStringList(body, name);
        } else if (raw == Map.class && argument(type, 0) == String.class && argument(type, 1) == String.class) {
            Json.optionalStringMap(body, name);
        } else if (raw.isRecord()) {
            JsonNode v = body.get(name);
            if (v != null && !v.isNull()) {
                if (!v.isObject()) {
                    throw new InvalidInputException(name, "must be a JSON object");
                }
                within(name + ".", () -> check((ObjectNode) v, raw));
            }
        } else if (raw == List.class && raw(argument(type, 0)).isRecord()) {
            JsonNode v = body.get(name);
            if (v != null && !v.isNull()) {
                if (!v.isArray()) {
                    throw new InvalidInputException(name, "must be an array of objects");
                }
                Class<?> item = raw(argument(type, 0));
                for (int i = 0; i < v.size(); i++) {
                    JsonNode e = v.get(i);
                    String at = name + "[" + i + "]";
                    if (!e.isObject()) {
                        throw new InvalidInputException(at, "must be a JSON object");
                    }
                    within(at + ".", () -> check((ObjectNode) e, item));
                }
            }
        } else {
            throw new IllegalStateException("no wire shape for a request field of type " + type);
        }
    }

    /** Runs a nested check, naming its fields under {@code prefix}. */
    private static void within(String prefix, Runnable check) {
        try {
            check.run();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.errors().stream()
                    .map(x -> new FieldError(prefix + x.field(), x.detail()))
                    .toList());
        }
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("no wire shape for " + t);
    }

    static Type argument(Type t, int i) {
        if (t instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        throw new IllegalStateException(t + " needs its type arguments");
    }

    private static final class InstantWriter extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant t, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(Times.format(t));
        }
    }

    private static final class InstantReader extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
            ObjectNode holder = Json.MAPPER.createObjectNode().put("t", p.getValueAsString());
            return Json.optionalTime(holder, "t");
        }
    }

    /** The subject filter: a JSON null means no filter, an absent field means leave it as it is. */
    private static final class FilterReader extends JsonDeserializer<SubjectFilter> {
        @Override
        public SubjectFilter deserialize(JsonParser p, DeserializationContext c) throws IOException {
            ObjectNode holder = Json.MAPPER.createObjectNode();
            holder.set("filter", p.readValueAsTree());
            return Json.optionalSubjectFilter(holder, "filter");
        }

        @Override
        public SubjectFilter getNullValue(DeserializationContext c) {
            return SubjectFilter.NONE;
        }

        @Override
        public Object getAbsentValue(DeserializationContext c) {
            return null;
        }
    }

    private static final class ExplicitReader extends JsonDeserializer<Explicit<?>> implements ContextualDeserializer {
        private final JavaType inner;

        ExplicitReader(JavaType inner) {
            this.inner = inner;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext c, BeanProperty property) {
            JavaType t = property != null ? property.getType() : c.getContextualType();
            return new ExplicitReader(t.containedTypeOrUnknown(0));
        }

        @Override
        public Explicit<?> deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return new Explicit<>(c.readValue(p, inner));
        }

        @Override
        public Explicit<?> getNullValue(DeserializationContext c) {
            return new Explicit<>(null);
        }

        @Override
        public Object getAbsentValue(DeserializationContext c) {
            return null;
        }
    }
}
