package io.partnerhooks.server.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/openapi.yaml as a tree, for the tests that hold the code to it: found in the working
 * directory or above, its {@code $ref}s followed and its {@code allOf}s merged on demand.
 */
public final class OpenApiDocument {
    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** The document above the working directory (a key written twice is an error, as in any YAML reader we care about). */
    public static OpenApiDocument load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/openapi.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no docs/openapi.yaml above " + Path.of("").toAbsolutePath());
        }
        try {
            return new OpenApiDocument(new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .readTree(dir.resolve("docs/openapi.yaml").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The node a {@code $ref} chain ends at; the node itself when it is no reference. */
    public JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) {
            n = root.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    /**
     * A schema with its references followed and its allOf parts merged into one: the union of their
     * properties and required lists, the first type any part gives.
     */
    public JsonNode flatten(JsonNode schema) {
        schema = resolve(schema);
        if (!schema.has("allOf")) {
            return schema;
        }
        ObjectNode merged = ((ObjectNode) schema).deepCopy();
        merged.remove("allOf");
        ObjectNode props =
                merged.has("properties") ? (ObjectNode) merged.get("properties") : merged.putObject("properties");
        ArrayNode required = merged.has("required") ? (ArrayNode) merged.get("required") : merged.putArray("required");
        for (JsonNode part : schema.get("allOf")) {
            JsonNode p = flatten(part);
            p.path("properties").properties().forEach(e -> props.set(e.getKey(), e.getValue()));
            p.path("required").forEach(required::add);
            if (!merged.has("type") && p.has("type")) {
                merged.set("type", p.get("type"));
            }
        }
        return merged;
    }
}
