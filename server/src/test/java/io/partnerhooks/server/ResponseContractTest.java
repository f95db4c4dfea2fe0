package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.OpenApiDocument;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The response schemas of docs/openapi.yaml compared with what the handlers really answer: the
 * main operations are called over HTTP and every answer must be a documented status whose body
 * conforms to the documented schema, recursively (required fields present, no undocumented
 * fields where the schema lists its properties, types, enums, consts, patterns and date-times).
 * The request examples of the document are sent as they stand and must be accepted.
 */
public abstract class ResponseContractTest extends AppTestBase {
    private static final OpenApiDocument OPENAPI = OpenApiDocument.load();
    private static final JsonNode DOC = OPENAPI.root();

    private final List<String> problems = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();

    /** Calls the route and checks the answer against the document; returns it for the next steps. */
    private Api.Response call(String method, String template, String path, String token, String body) {
        Api.Response r = api.call(method, path, token, body);
        String where = method + " " + template + " -> " + r.status();
        JsonNode op = DOC.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(op.isObject())
                .as(method + " " + template + " in docs/openapi.yaml")
                .isTrue();
        JsonNode response = OPENAPI.resolve(op.path("responses").path(Integer.toString(r.status())));
        if (response.isMissingNode()) {
            problems.add(where + ": status not documented (" + r.body() + ")");
            return r;
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!r.body().isEmpty()) {
                problems.add(where + ": documented without a body, answered " + r.body());
            }
            checked.add(where);
            return r;
        }
        String type =
                r.contentType() == null ? "" : r.contentType().split(";")[0].strip();
        JsonNode media = content.path(type);
        if (media.isMissingNode()) {
            problems.add(where + ": content type " + type + " not documented ("
                    + content.properties().stream().map(Map.Entry::getKey).toList() + ")");
            return r;
        }
        conform(r.json(), media.path("schema"), where + " $", problems);
        checked.add(where);
        return r;
    }

    private static JsonNode example(String template, String method, String name) {
        JsonNode ex = DOC.path("paths")
                .path(template)
                .path(method)
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("examples")
                .path(name)
                .path("value");
        assertThat(ex.isObject())
                .as("example " + name + " of " + method + " " + template)
                .isTrue();
        return ex.deepCopy();
    }

    @Test
    void theMainOperationsAnswerWhatTheDocumentSays() throws Exception {
        // the document's own examples, sent as they stand (only the partner id is this run's)
        Api.Response created = call(
                "POST",
                "/platform/v1/partners",
                "/platform/v1/partners",
                OPERATOR,
                example("/platform/v1/partners", "post", "acme").toString());
        String partnerId = created.json().path("id").asText();
        String key = created.json().path("api_key").asText();
        for (String name : List.of("minimal", "tuned", "filtered")) {
            Api.Response r = call(
                    "POST",
                    "/v1/endpoints",
                    "/v1/endpoints",
                    key,
                    example("/v1/endpoints", "post", name).toString());
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(201);
            // nothing may go out to the example's host: remove it again
            assertThat(api.call("DELETE", "/v1/endpoints/" + r.json().path("id").asText(), key, null)
                            .status())
                    .isEqualTo(204);
        }
        String epId = call(
                        "POST",
                        "/v1/endpoints",
                        "/v1/endpoints",
                        key,
                        "{\"url\":\"" + receiver.url("/hook") + "\",\"event_types\":[\"workspace.*\"]}")
                .json()
                .path("id")
                .asText();
        ObjectNode one = (ObjectNode) example("/platform/v1/events", "post", "seatsExhausted");
        one.put("partner_id", partnerId);
        Api.Response published = call("POST", "/platform/v1/events", "/platform/v1/events", OPERATOR, one.toString());
        assertThat(published.status()).as(published.body()).isEqualTo(202);
        String eventId = published.json().path("id").asText();
        assertThat(call("POST", "/platform/v1/events", "/platform/v1/events", OPERATOR, one.toString())
                        .json()
                        .path("created")
                        .asBoolean())
                .as("the idempotency key answered the first event")
                .isFalse();
        ObjectNode batch = (ObjectNode) example("/platform/v1/events/batch", "post", "two");
        for (JsonNode e : batch.path("events")) {
            ((ObjectNode) e)
                    .put("partner_id", partnerId)
                    .put("idempotency_key", "batch-" + e.path("type").asText());
        }
        Api.Response batched =
                call("POST", "/platform/v1/events/batch", "/platform/v1/events/batch", OPERATOR, batch.toString());
        assertThat(batched.status()).as(batched.body()).isEqualTo(202);

        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        String deliveryId = deliveries(key, eventId).get(0).path("id").asText();

        call("GET", "/v1/endpoints", "/v1/endpoints", key, null);
        call("GET", "/v1/endpoints/{id}", "/v1/endpoints/" + epId, key, null);
        call("PATCH", "/v1/endpoints/{id}", "/v1/endpoints/" + epId, key, "{\"description\":\"Billing\"}");
        call(
                "PATCH",
                "/v1/endpoints/{id}",
                "/v1/endpoints/" + epId,
                key,
                "{\"filter\":{\"workspace_ids\":[\"ws_1\"]}}");
        call("PATCH", "/v1/endpoints/{id}", "/v1/endpoints/" + epId, key, "{\"filter\":null}");
        call("GET", "/v1/endpoints/{id}/secret", "/v1/endpoints/" + epId + "/secret", key, null);
        call("POST", "/v1/endpoints/{id}/secret/rotate", "/v1/endpoints/" + epId + "/secret/rotate", key, "{}");
        call("GET", "/v1/endpoints/{id}/deliveries", "/v1/endpoints/" + epId + "/deliveries", key, null);
        call("GET", "/v1/endpoints/{id}/stats", "/v1/endpoints/" + epId + "/stats", key, null);
        call("GET", "/v1/events", "/v1/events", key, null);
        call("GET", "/v1/events", "/v1/events?limit=1", key, null);
        call("GET", "/v1/events/{id}", "/v1/events/" + eventId, key, null);
        String cursor = call("GET", "/v1/stream", "/v1/stream?limit=2", key, null)
                .json()
                .get("next_cursor")
                .asText();
        call("GET", "/v1/stream", "/v1/stream?wait=1&after=" + cursor + "&event_types=workspace.*", key, null);
        call(
                "POST",
                "/v1/stream/consumers/{name}/commit",
                "/v1/stream/consumers/contract/commit",
                key,
                "{\"cursor\":\"" + cursor + "\"}");
        call("GET", "/v1/stream/consumers/{name}", "/v1/stream/consumers/contract", key, null);
        call("GET", "/v1/events/{id}/deliveries", "/v1/events/" + eventId + "/deliveries", key, null);
        call("GET", "/v1/deliveries/{id}", "/v1/deliveries/" + deliveryId, key, null);
        call("POST", "/v1/deliveries/{id}/resend", "/v1/deliveries/" + deliveryId + "/resend", key, null);
        String replayId = call(
                        "POST",
                        "/v1/endpoints/{id}/replay",
                        "/v1/endpoints/" + epId + "/replay",
                        key,
                        "{\"since\":\"2026-11-22T00:00:00Z\",\"which\":\"all\"}")
                .json()
                .path("id")
                .asText();
        call("GET", "/v1/replays/{id}", "/v1/replays/" + replayId, key, null);
        call("GET", "/v1/replays", "/v1/replays?endpoint_id=" + epId, key, null);
        call(
                "POST",
                "/v1/endpoints/{id}/replay",
                "/v1/endpoints/" + epId + "/replay",
                key,
                "{\"since\":\"2026-11-22T00:00:00Z\",\"which\":\"sometimes\"}");
        call("GET", "/v1/event-types", "/v1/event-types", key, null);
        call("GET", "/v1/event-types/{name}", "/v1/event-types/workspace.seats.exhausted", key, null);
        call(
                "POST",
                "/v1/endpoints/{id}/test",
                "/v1/endpoints/" + epId + "/test",
                key,
                "{\"type\":\"workspace.seats.exhausted\"}");
        call("GET", "/v1/audit-log", "/v1/audit-log", key, null);
        call("GET", "/v1/workspaces", "/v1/workspaces", key, null);
        call("GET", "/v1/channels", "/v1/channels", key, null);
        call("GET", "/v1/thresholds", "/v1/thresholds", key, null);
        // the platform's facts and what the partner sees of them
        call(
                "PUT",
                "/platform/v1/workspaces/{workspace_id}",
                "/platform/v1/workspaces/ws_a",
                OPERATOR,
                "{\"partner_id\":\"" + partnerId
                        + "\",\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}");
        call("POST", "/v1/thresholds", "/v1/thresholds", key, "{\"quota\":\"messaging\",\"percent\":80}");
        call(
                "PUT",
                "/platform/v1/clients/{client_id}",
                "/platform/v1/clients/cl_a",
                OPERATOR,
                "{\"partner_id\":\"" + partnerId + "\",\"name\":\"A's client\"}");
        call(
                "PUT",
                "/platform/v1/channels/{channel_id}",
                "/platform/v1/channels/ch_a",
                OPERATOR,
                "{\"partner_id\":\"" + partnerId + "\",\"client_id\":\"cl_a\",\"phone_number\":\"+31600000001\"}");
        call(
                "POST",
                "/platform/v1/channels/{channel_id}/transitions",
                "/platform/v1/channels/ch_a/transitions",
                OPERATOR,
                "{\"to\":\"submitted\"}");
        call(
                "PUT",
                "/v1/channels/{channel_id}/webhook",
                "/v1/channels/ch_a/webhook",
                key,
                "{\"url\":\"" + receiver.url("/meta") + "\"}");
        call("GET", "/v1/channels/{channel_id}/webhook", "/v1/channels/ch_a/webhook", key, null);
        call("GET", "/v1/channels/{id}", "/v1/channels/ch_a", key, null);
        call("GET", "/v1/workspaces/{id}", "/v1/workspaces/ws_a", key, null);
        call("DELETE", "/v1/channels/{channel_id}/webhook", "/v1/channels/ch_a/webhook", key, null);
        call(
                "POST",
                "/v1/endpoints/{id}/recover",
                "/v1/endpoints/" + epId + "/recover",
                key,
                "{\"since\":\"2026-11-22T00:00:00Z\"}");
        call("POST", "/v1/deliveries/{id}/retry", "/v1/deliveries/" + deliveryId + "/retry", key, null);
        // API keys: a second one, rolled with itself (stopping at once), listed, and the rolled-to key revoked
        String keys = "/platform/v1/partners/" + partnerId + "/api-keys";
        String second = call("POST", "/platform/v1/partners/{partner_id}/api-keys", keys, OPERATOR, null)
                .json()
                .path("api_key")
                .asText();
        String rolledTo = call(
                        "POST", "/v1/api-keys/roll", "/v1/api-keys/roll", second, "{\"expire_current_in_seconds\":0}")
                .json()
                .path("id")
                .asText();
        call("GET", "/platform/v1/partners/{partner_id}/api-keys", keys, OPERATOR, null);
        call("DELETE", "/platform/v1/partners/{partner_id}/api-keys/{key_id}", keys + "/" + rolledTo, OPERATOR, null);
        call("POST", "/v1/api-keys/roll", "/v1/api-keys/roll", key, "{\"expire_current_in_seconds\":-1}");
        call("GET", "/platform/v1/audit-log", "/platform/v1/audit-log", OPERATOR, null);
        call("GET", "/v1/audit-log", "/v1/audit-log?limit=100", key, null);
        call("GET", "/v1/workspaces", "/v1/workspaces", key, null);
        call("GET", "/v1/channels", "/v1/channels", key, null);
        call("GET", "/v1/thresholds", "/v1/thresholds", key, null);
        call("DELETE", "/v1/thresholds", "/v1/thresholds?quota=messaging&percent=80", key, null);
        // problem answers are documented too
        call(
                "POST",
                "/v1/endpoints",
                "/v1/endpoints",
                key,
                "{\"url\":\"https://example.com\",\"event_types\":[\"nope.*\"]}");
        call("GET", "/v1/event-types/{name}", "/v1/event-types/nobody.heard_of.this", key, null);
        call("GET", "/v1/events/{id}", "/v1/events/evt_unknown", key, null);
        call("POST", "/platform/v1/events", "/platform/v1/events", OPERATOR, "{\"type\":\"a.b\"}");
        call("DELETE", "/v1/endpoints/{id}", "/v1/endpoints/" + epId, key, null);

        assertThat(problems).as("answers that differ from docs/openapi.yaml").isEmpty();
        assertThat(checked).as("answers compared with a documented schema").hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void theCheckerItselfCatchesDrift() {
        JsonNode schema = DOC.at("/components/schemas/EventAccepted");
        List<String> found = new ArrayList<>();
        conform(json("{\"id\":\"evt_1\",\"created\":true}"), schema, "$", found);
        assertThat(found).isEmpty();
        conform(json("{\"id\":\"evt_1\"}"), schema, "$", found);
        conform(json("{\"id\":\"evt_1\",\"created\":\"yes\",\"extra\":1}"), schema, "$", found);
        conform(json("{\"id\":\"dlv_1\",\"created\":false}"), schema, "$", found);
        assertThat(found)
                .hasSize(4)
                .anyMatch(p -> p.contains("created is required"))
                .anyMatch(p -> p.contains("extra is not documented"))
                .anyMatch(p -> p.contains("expected boolean"))
                .anyMatch(p -> p.contains("does not match ^evt_"));
    }

    private static JsonNode json(String s) {
        try {
            return Api.JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Adds to {@code out} every way {@code value} departs from {@code schema}. */
    static void conform(JsonNode value, JsonNode schema, String where, List<String> out) {
        schema = OPENAPI.flatten(schema);
        if (schema.isMissingNode() || !schema.isObject()) {
            return;
        }
        for (String alt : List.of("oneOf", "anyOf")) {
            if (schema.has(alt)) {
                boolean any = false;
                for (JsonNode option : schema.get(alt)) {
                    List<String> probe = new ArrayList<>();
                    conform(value, option, where, probe);
                    any |= probe.isEmpty();
                }
                if (!any) {
                    out.add(where + ": matches none of its " + alt);
                }
            }
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            out.add(where + ": " + value + " is not " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                out.add(where + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        JsonNode type = schema.path("type");
        if (!type.isMissingNode()) {
            List<String> allowed = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> allowed.add(t.asText()));
            } else {
                allowed.add(type.asText());
            }
            if (allowed.stream().noneMatch(t -> is(value, t))) {
                out.add(where + ": " + shorten(value) + " has the wrong type, expected "
                        + String.join(" or ", allowed));
                return;
            }
        }
        if (value.isTextual()) {
            if (schema.has("pattern")
                    && !Pattern.compile(schema.get("pattern").asText())
                            .matcher(value.asText())
                            .find()) {
                out.add(where + ": " + value + " does not match "
                        + schema.get("pattern").asText());
            }
            if ("date-time".equals(schema.path("format").asText())) {
                try {
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    out.add(where + ": " + value + " is not a date-time");
                }
            }
        } else if (value.isObject()) {
            JsonNode props = schema.path("properties");
            for (JsonNode req : schema.path("required")) {
                if (!value.has(req.asText())) {
                    out.add(where + "." + req.asText() + " is required by the document but missing");
                }
            }
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String at = where + "." + f.getKey();
                if (props.has(f.getKey())) {
                    conform(f.getValue(), props.get(f.getKey()), at, out);
                } else if (additional.isObject()) {
                    conform(f.getValue(), additional, at, out);
                } else if (props.isObject() && !additional.asBoolean(false)) {
                    // A schema that lists its properties documents exactly those.
                    out.add(at + " is not documented");
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                conform(value.get(i), schema.get("items"), where + "[" + i + "]", out);
            }
        }
    }

    private static boolean is(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> false;
        };
    }

    private static String shorten(JsonNode v) {
        String s = v.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
