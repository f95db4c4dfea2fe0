package io.partnerhooks.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.server.api.model.StoredJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading request bodies field by field, so every mistake names the field it is about. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Json() {}

    /** The body as a JSON object; 400 naming {@code body} when it is missing, not JSON, or not an object. */
    public static ObjectNode object(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        JsonNode n = tree(raw);
        if (n == null || !n.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /**
     * A request body as one JSON document, read strictly: the bytes must be UTF-8 in its shortest
     * form (no overlong sequences, surrogates or values past U+10FFFF), nothing may follow the
     * document, and no object may hold a key twice. Each refusal is a 400 naming {@code body}, or
     * the repeated key. Null for an empty body.
     */
    public static JsonNode tree(byte[] raw) {
        String text = strictUtf8(raw);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte order mark says nothing; Jackson skips it in byte input too
        }
        refuseDuplicateKeys(text);
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("body", "is not valid JSON: " + shortMessage(e));
        }
    }

    private static String strictUtf8(byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        try {
            // Java's decoder refuses every ill-formed sequence of RFC 3629, which Jackson's does not (overlong forms).
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("body", "is not valid UTF-8 (at byte " + in.position() + ")");
        }
    }

    /**
     * A first pass over the tokens that names a repeated key by its path ({@code headers.X-A}),
     * in our words rather than the JSON library's. Syntax errors are left to the real parse.
     */
    private static void refuseDuplicateKeys(String text) {
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            ArrayDeque<Set<String>> open = new ArrayDeque<>();
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT -> open.push(new HashSet<>());
                    case END_OBJECT -> open.pop();
                    case FIELD_NAME -> {
                        if (!open.peek().add(p.currentName())) {
                            throw new InvalidInputException(
                                    path(p.getParsingContext()), "appears more than once in the object");
                        }
                    }
                    default -> {}
                }
            }
        } catch (IOException e) {
            // not JSON at all: the parse that follows says so
        }
    }

    private static String path(JsonStreamContext c) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String shortMessage(IOException e) {
        String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return m == null ? "parse error" : m.length() > 200 ? m.substring(0, 200) : m;
    }

    public static String optionalString(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return n.textValue();
    }

    public static Boolean optionalBoolean(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new InvalidInputException(field, "must be true or false");
        }
        return n.booleanValue();
    }

    public static Integer optionalInt(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return n.intValue();
    }

    public static Long optionalLong(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return n.longValue();
    }

    /** An RFC 3339 time such as 2026-11-22T12:00:00Z (an offset is allowed). */
    public static Instant optionalTime(ObjectNode o, String field) {
        String s = optionalString(o, field);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
    }

    public static List<String> optionalStringList(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string");
            }
            out.add(n.get(i).textValue());
        }
        return out;
    }

    /** An object of string values, in the order given (e.g. custom headers); null when absent. */
    public static Map<String, String> optionalStringMap(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new InvalidInputException(field, "must be an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getValue().isTextual()) {
                throw new InvalidInputException(field + "." + f.getKey(), "must be a string");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    /** The field as compact JSON object text; {@code "{}"} when absent. */
    public static String optionalObjectText(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return "{}";
        }
        if (!n.isObject()) {
            throw new InvalidInputException(field, "must be a JSON object");
        }
        return text(n);
    }

    /**
     * A subject filter ({@code {"workspace_ids":[..],"channel_ids":[..],"phone_numbers":[..]}}, any
     * subset); null when the field is absent, {@link SubjectFilter#NONE} when it is null or {}.
     * Shape errors name {@code field.<key>}; sizes are checked by the use case.
     */
    public static SubjectFilter optionalSubjectFilter(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null) {
            return null;
        }
        if (n.isNull()) {
            return SubjectFilter.NONE;
        }
        if (!n.isObject()) {
            throw new InvalidInputException(
                    field, "must be an object with workspace_ids, channel_ids and/or phone_numbers");
        }
        ObjectNode f = (ObjectNode) n;
        List<String> known = SubjectFilter.FIELDS;
        f.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new InvalidInputException(
                        field + "." + k, "is not a known field (expected one of " + String.join(", ", known) + ")");
            }
        });
        List<List<String>> lists = new ArrayList<>();
        for (String k : known) {
            JsonNode a = f.get(k);
            List<String> v = new ArrayList<>();
            if (a != null && !a.isNull()) {
                if (!a.isArray()) {
                    throw new InvalidInputException(field + "." + k, "must be an array of strings");
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!a.get(i).isTextual()) {
                        throw new InvalidInputException(field + "." + k + "[" + i + "]", "must be a string");
                    }
                    v.add(a.get(i).textValue());
                }
            }
            lists.add(v);
        }
        return new SubjectFilter(lists.get(0), lists.get(1), lists.get(2));
    }

    /** Rejects fields we do not know, so a typo ("evnt_types") is an error instead of silently ignored. */
    public static void onlyFields(ObjectNode o, String... allowed) {
        List<String> known = List.of(allowed);
        o.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new InvalidInputException(
                        f, "is not a known field (expected one of " + String.join(", ", known) + ")");
            }
        });
    }

    public static String text(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON we stored ourselves, as a tree. */
    public static JsonNode parse(String json) {
        return StoredJson.parse(json);
    }

    public static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(bytes(body));
    }

    /** A response record as JSON ({@link Bodies#RECORDS}: snake_case, RFC 3339 times). */
    public static void send(Context ctx, int status, Record body) {
        try {
            ctx.status(status).contentType("application/json").result(Bodies.RECORDS.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
