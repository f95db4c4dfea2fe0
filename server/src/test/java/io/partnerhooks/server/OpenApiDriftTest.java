package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.partnerhooks.server.api.QueryParameters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml is the contract partners code against, so it must name exactly the routes the
 * server registers (both ways), and the server must hand out that very file at /openapi.yaml.
 */
class OpenApiDriftTest {
    /** The operation keys OpenAPI allows under a path item. */
    private static final Set<String> OPENAPI_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Answered by the web server itself where at all; they are no part of the contract on either side. */
    private static final Set<String> IMPLICIT_METHODS = Set.of("HEAD", "OPTIONS");

    private static final Pattern ROUTE = Pattern.compile("([A-Z]+) (/\\S*)");
    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}/]+)}");

    @TempDir
    static Path dataDir;

    private static App app;
    private static Path document;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        document = locateDocument();
        // A duplicated path key would silently hide one of its operations from the comparison below.
        doc = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .readTree(document.toFile());
        app = App.start(
                Config.defaults(dataDir).withPort(0).withOperatorToken("x"),
                Clock.systemUTC(),
                new SplittableRandom(20261122));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theDocumentDescribesExactlyTheRoutesTheServerRegisters() {
        assertThat(doc.path("openapi").asText()).as("openapi version").startsWith("3.1.");

        Set<String> served = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        for (String route : app.routes()) {
            Matcher m = ROUTE.matcher(route);
            if (!m.matches()) {
                unreadable.add(route);
            } else if (m.group(2).equals("/ui")
                    || m.group(2).startsWith("/ui/")
                    || m.group(2).equals("/docs")
                    || m.group(2).startsWith("/docs/")) {
                continue; // the HTML dashboard and the rendered reference are not part of the API the document
                // describes
            } else if (!IMPLICIT_METHODS.contains(m.group(1))) {
                served.add(m.group(1) + " " + pathTemplate(m.group(2)));
            }
        }
        assertThat(unreadable)
                .as("App.routes() entries that are not \"METHOD /path\"")
                .isEmpty();
        assertThat(served).as("App.routes()").isNotEmpty();

        Set<String> documented = documentedRoutes();
        Set<String> onlyServed = new TreeSet<>(served);
        onlyServed.removeAll(documented);
        Set<String> onlyDocumented = new TreeSet<>(documented);
        onlyDocumented.removeAll(served);
        assertThat(documented)
                .withFailMessage(() -> "docs/openapi.yaml and the server disagree\n"
                        + "  registered by the server but missing from docs/openapi.yaml:" + listing(onlyServed)
                        + "  in docs/openapi.yaml but not registered by the server:" + listing(onlyDocumented))
                .isEqualTo(served);
    }

    @Test
    void everyOperationAsksForTheCredentialsItsAreaNeeds() {
        JsonNode schemes = doc.path("components").path("securitySchemes");
        for (String scheme : List.of("operatorToken", "partnerKey")) {
            assertThat(schemes.path(scheme).path("type").asText())
                    .as(scheme + " type")
                    .isEqualTo("http");
            assertThat(schemes.path(scheme).path("scheme").asText())
                    .as(scheme + " scheme")
                    .isEqualTo("bearer");
        }
        assertThat(doc.path("security").isArray() && doc.path("security").isEmpty())
                .as("the root security must be empty, so that every operation has to state its own")
                .isTrue();

        List<String> wrong = new ArrayList<>();
        operations((path, method, op) -> {
            String expected =
                    path.startsWith("/platform/") ? "operatorToken" : path.startsWith("/v1/") ? "partnerKey" : null;
            JsonNode security = op.path("security");
            boolean ok;
            if (path.startsWith("/api/")) {
                // Provider-compatible routes: the partner key, as a bearer token or in X-API-Key.
                ok = security.isArray() && !security.isEmpty();
                for (JsonNode alt : security) {
                    ok &= alt.size() == 1 && (alt.has("partnerKey") || alt.has("partnerKeyHeader"));
                }
            } else if (expected == null) {
                ok = security.isMissingNode() || (security.isArray() && security.isEmpty());
            } else {
                ok = security.isArray()
                        && security.size() == 1
                        && security.get(0).size() == 1
                        && security.get(0).has(expected);
            }
            if (!ok) {
                wrong.add(method.toUpperCase(Locale.ROOT) + " " + path + " has security " + security + ", expected "
                        + (expected == null ? "none" : expected));
            }
        });
        assertThat(wrong).as("operations with the wrong security requirement").isEmpty();
    }

    @Test
    void everyOperationHasAStableUniqueOperationIdAndASummary() {
        Map<String, String> byId = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        operations((path, method, op) -> {
            String where = method.toUpperCase(Locale.ROOT) + " " + path;
            String id = op.path("operationId").asText("");
            if (!id.matches("[a-z][A-Za-z0-9]*")) {
                wrong.add(where + ": operationId \"" + id + "\" is not a lowerCamelCase name");
            } else if (byId.put(id, where) != null) {
                wrong.add(where + ": operationId " + id + " is also " + byId.get(id));
            }
            if (op.path("summary").asText("").isBlank()) {
                wrong.add(where + ": no summary");
            }
        });
        assertThat(wrong).isEmpty();
        // Generated clients name their methods after these; renaming one breaks every client.
        assertThat(byId)
                .containsEntry("createEndpoint", "POST /v1/endpoints")
                .containsEntry("listEvents", "GET /v1/events")
                .containsEntry("publishEvent", "POST /platform/v1/events")
                .containsEntry("publishEventBatch", "POST /platform/v1/events/batch")
                .containsEntry("getEventType", "GET /v1/event-types/{name}")
                .containsEntry("listEventTypes", "GET /v1/event-types");
    }

    @Test
    void requestBodiesRequireOnlyWhatIsRequiredAndCarryNoDefaults() {
        // openapi-typescript (and others) turn a property with a default into a required one.
        List<String> wrong = new ArrayList<>();
        operations((path, method, op) -> {
            JsonNode content = resolve(op.path("requestBody")) == null
                    ? null
                    : resolve(op.path("requestBody")).path("content");
            if (content == null) {
                return;
            }
            for (Map.Entry<String, JsonNode> media : content.properties()) {
                requestSchemaProblems(
                        media.getValue().path("schema"), method.toUpperCase(Locale.ROOT) + " " + path, wrong);
            }
        });
        assertThat(wrong).isEmpty();
    }

    private static void requestSchemaProblems(JsonNode schema, String where, List<String> out) {
        JsonNode s = resolve(schema);
        if (s == null || !s.isObject()) {
            return;
        }
        JsonNode props = s.path("properties");
        for (JsonNode req : s.path("required")) {
            JsonNode p = resolve(props.path(req.asText()));
            if (p != null && p.path("type").isArray()) {
                for (JsonNode t : p.path("type")) {
                    if (t.asText().equals("null")) {
                        out.add(where + ": " + req.asText() + " is required but may be null");
                    }
                }
            }
        }
        for (Map.Entry<String, JsonNode> p : props.properties()) {
            JsonNode ps = resolve(p.getValue());
            if (ps != null && ps.has("default")) {
                out.add(where + ": " + p.getKey() + " has a default (say it in the description instead)");
            }
            requestSchemaProblems(p.getValue(), where + "." + p.getKey(), out);
        }
        if (s.has("items")) {
            requestSchemaProblems(s.get("items"), where + "[]", out);
        }
    }

    @Test
    void pathParametersAndReferencesHoldTogether() {
        List<String> problems = new ArrayList<>();
        operations((path, method, op) -> {
            String where = method.toUpperCase(Locale.ROOT) + " " + path;
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = TEMPLATE_PARAM.matcher(path);
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            List<JsonNode> params = new ArrayList<>();
            doc.path("paths").path(path).path("parameters").forEach(params::add);
            op.path("parameters").forEach(params::add);
            for (JsonNode p : params) {
                JsonNode resolved = resolve(p);
                if (resolved != null && "path".equals(resolved.path("in").asText())) {
                    declared.add(resolved.path("name").asText());
                    if (!resolved.path("required").asBoolean(false)) {
                        problems.add(where + ": path parameter "
                                + resolved.path("name").asText() + " is not required");
                    }
                }
            }
            if (!inTemplate.equals(declared)) {
                problems.add(where + ": the template names " + inTemplate + " but the parameters declare " + declared);
            }
        });
        Set<String> refs = new TreeSet<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
                problems.add("$ref " + ref + " does not resolve inside the document");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The server refuses query parameters a route does not take (issue 14), so the document's query
     * parameters for each partner and platform route must be exactly the ones the server accepts.
     */
    @Test
    void queryParametersAreTheOnesTheServerAccepts() {
        List<String> problems = new ArrayList<>();
        operations((path, method, op) -> {
            if (!path.startsWith("/v1/") && !path.startsWith("/platform/v1/")) {
                return;
            }
            String route = method.toUpperCase(Locale.ROOT) + " " + path;
            Set<String> documented = new TreeSet<>();
            List<JsonNode> params = new ArrayList<>();
            doc.path("paths").path(path).path("parameters").forEach(params::add);
            op.path("parameters").forEach(params::add);
            for (JsonNode p : params) {
                JsonNode resolved = resolve(p);
                if (resolved != null && "query".equals(resolved.path("in").asText())) {
                    documented.add(resolved.path("name").asText());
                }
            }
            Set<String> accepted = new TreeSet<>(QueryParameters.allowed(route));
            if (!documented.equals(accepted)) {
                problems.add(route + ": documented " + documented + ", the server accepts " + accepted);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theServerServesTheCommittedFileByteForByte() throws Exception {
        HttpResponse<byte[]> r;
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + app.port() + "/openapi.yaml");
            r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/yaml");
        // The jar carries a copy made at build time; a stale copy means the served contract is not this file.
        assertThat(r.body()).as("GET /openapi.yaml compared with " + document).isEqualTo(Files.readAllBytes(document));
    }

    private static Set<String> documentedRoutes() {
        Set<String> out = new TreeSet<>();
        operations((path, method, op) -> {
            String m = method.toUpperCase(Locale.ROOT);
            if (!IMPLICIT_METHODS.contains(m)) {
                out.add(m + " " + path);
            }
        });
        return out;
    }

    @FunctionalInterface
    private interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    private static void operations(OperationVisitor visitor) {
        JsonNode paths = doc.path("paths");
        assertThat(paths.isObject()).as("docs/openapi.yaml has a paths object").isTrue();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (OPENAPI_METHODS.contains(op.getKey())) {
                    visitor.visit(path.getKey(), op.getKey(), op.getValue());
                }
            }
        }
    }

    /**
     * Javalin also accepts {@code <name>} for a path parameter; it is the same route as
     * {@code {name}}, which is how OpenAPI spells it.
     */
    private static String pathTemplate(String javalinPath) {
        return javalinPath.replaceAll("<([^>/]+)>", "{$1}");
    }

    private static JsonNode resolve(JsonNode n) {
        JsonNode ref = n.get("$ref");
        if (ref == null) {
            return n;
        }
        String text = ref.asText();
        JsonNode target = text.startsWith("#/") ? doc.at(text.substring(1)) : null;
        return target == null || target.isMissingNode() ? null : target;
    }

    private static void collectRefs(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            }
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }

    private static String listing(Set<String> routes) {
        if (routes.isEmpty()) {
            return " (none)\n";
        }
        StringBuilder sb = new StringBuilder("\n");
        routes.forEach(r -> sb.append("    ").append(r).append('\n'));
        return sb.toString();
    }

    private static Path locateDocument() {
        // Surefire runs in the module directory; walk up to the repository root that holds docs/.
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/openapi.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a docs/openapi.yaml above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return dir.resolve("docs/openapi.yaml");
    }
}
