package io.partnerhooks.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Masks secrets in a JSON document before it is kept in the audit log. Fails closed: a field whose
 * name looks secret-like is masked whatever its value, every value under a headers object is masked
 * (custom header values are often credentials), and a string that has the shape of one of our own
 * credentials is masked wherever it appears. Timestamps about secrets ({@code *_at}) stay readable.
 */
public final class SecretMask {
    public static final String MASK = "****";
    private static final List<String> SECRET_WORDS = List.of(
            "secret",
            "token",
            "apikey",
            "password",
            "passwd",
            "authorization",
            "credential",
            "privatekey",
            "signature",
            "cookie");
    private static final List<String> CREDENTIAL_PREFIXES = List.of("whsec_", "phk_", "tok_", "Bearer ");

    private SecretMask() {}

    /** A masked copy (the argument is left as it is); null stays null. */
    public static JsonNode mask(JsonNode in) {
        if (in == null || in.isNull()) {
            return null;
        }
        JsonNode copy = in.deepCopy();
        walk(copy);
        return copy;
    }

    public static boolean secretName(String field) {
        String k = field.toLowerCase(Locale.ROOT);
        if (k.endsWith("_at") || k.endsWith("at_ms")) {
            return false;
        }
        String squeezed = k.replace("_", "").replace("-", "");
        return SECRET_WORDS.stream().anyMatch(squeezed::contains);
    }

    static boolean looksLikeCredential(String value) {
        return CREDENTIAL_PREFIXES.stream().anyMatch(value::startsWith);
    }

    private static void walk(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                String name = f.getKey();
                JsonNode v = f.getValue();
                if (v.isNull()) {
                    continue;
                }
                if (secretName(name)) {
                    f.setValue(TextNode.valueOf(MASK));
                } else if (name.toLowerCase(Locale.ROOT).endsWith("headers") && v.isObject()) {
                    v.properties().forEach(h -> h.setValue(TextNode.valueOf(MASK)));
                } else if (v.isTextual() && looksLikeCredential(v.asText())) {
                    f.setValue(TextNode.valueOf(MASK));
                } else {
                    walk(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual() && looksLikeCredential(v.asText())) {
                    a.set(i, TextNode.valueOf(MASK));
                } else {
                    walk(v);
                }
            }
        }
    }
}
