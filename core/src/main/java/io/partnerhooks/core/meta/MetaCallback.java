package io.partnerhooks.core.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One WhatsApp Cloud API callback, taken apart without rewriting it: every member of the body and
 * of each entry, and every change, is kept as the exact text Meta sent (byte ranges found with
 * Jackson's streaming parser), so that a number's share can be put back together byte for byte.
 * Pure: no I/O, no clock.
 */
public final class MetaCallback {
    /** A {@code "name":value} member, with the value's raw JSON text. */
    public record Member(String name, String raw) {}

    /** One {@code changes[]} element: its raw text, the field, the raw value and the value parsed. */
    public record Change(String raw, String field, String rawValue, JsonNode value) {}

    /** One {@code entry[]} element: its id (the WABA id), its other members raw, and its changes. */
    public record Entry(String id, List<Member> members, List<Change> changes) {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

    private final List<Member> members;
    private final List<Entry> entries;

    private MetaCallback(List<Member> members, List<Entry> entries) {
        this.members = List.copyOf(members);
        this.entries = List.copyOf(entries);
    }

    public List<Member> members() {
        return members;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The parsed callback, or empty when the body is not a JSON object with an {@code entry} array of objects. */
    public static Optional<MetaCallback> parse(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            List<Member> members = new ArrayList<>();
            List<Entry> entries = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("entry")) {
                    if (t != JsonToken.START_ARRAY) {
                        return Optional.empty();
                    }
                    entries = new ArrayList<>();
                    members.add(new Member(name, null));
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            return Optional.empty();
                        }
                        Optional<Entry> e = entry(p, body);
                        if (e.isEmpty()) {
                            return Optional.empty();
                        }
                        entries.add(e.get());
                    }
                } else {
                    members.add(new Member(name, raw(p, body)));
                }
            }
            if (p.nextToken() != null || entries == null) {
                return Optional.empty();
            }
            return Optional.of(new MetaCallback(members, entries));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Entry> entry(JsonParser p, byte[] body) throws IOException {
        List<Member> members = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        String id = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("changes")) {
                if (t != JsonToken.START_ARRAY) {
                    return Optional.empty();
                }
                members.add(new Member(name, null));
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        return Optional.empty();
                    }
                    changes.add(change(p, body));
                }
            } else {
                if (name.equals("id") && (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT)) {
                    id = p.getText();
                }
                members.add(new Member(name, raw(p, body)));
            }
        }
        return Optional.of(new Entry(id, members, changes));
    }

    private static Change change(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        String field = null;
        String rawValue = null;
        JsonNode value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("field") && t == JsonToken.VALUE_STRING) {
                field = p.getText();
                continue;
            }
            if (name.equals("value")) {
                int from = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int to = (int) p.currentLocation().getByteOffset();
                rawValue = new String(body, from, to - from, StandardCharsets.UTF_8);
                value = JSON.readTree(rawValue);
                continue;
            }
            p.skipChildren();
        }
        int end = (int) p.currentLocation().getByteOffset();
        return new Change(new String(body, start, end - start, StandardCharsets.UTF_8), field, rawValue, value);
    }

    /** The current value's raw text (the parser is on its first token; afterwards on its last). */
    private static String raw(JsonParser p, byte[] body) throws IOException {
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        // a scalar is read lazily: finish it so that the location is past its last byte
        p.finishToken();
        int to = (int) p.currentLocation().getByteOffset();
        return new String(body, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * The callback as Meta would have sent it for these changes only: the body's and the entry's
     * other members as received, in their order, and only the chosen changes, each as received.
     */
    public String envelope(Entry entry, List<Change> chosen) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Member m : members) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(quoted(m.name())).append(':');
            if (m.raw() == null) {
                b.append('[').append(entryText(entry, chosen)).append(']');
            } else {
                b.append(m.raw());
            }
        }
        return b.append('}').toString();
    }

    private static String entryText(Entry entry, List<Change> chosen) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Member m : entry.members()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(quoted(m.name())).append(':');
            if (m.raw() == null) {
                b.append('[');
                for (int i = 0; i < chosen.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(chosen.get(i).raw());
                }
                b.append(']');
            } else {
                b.append(m.raw());
            }
        }
        return b.append('}').toString();
    }

    /** A member name in the escaped, ASCII-only form Meta writes. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
